-- wrk script for bench/throttle.py: every request comes through one trusted proxy as the same
-- client, with a forged first X-Forwarded-For hop that changes on every request. Counts the
-- answers by status, and the 429s that lack Retry-After or a RateLimit field.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  incomplete = 0
  sent = 0
end

function request()
  sent = sent + 1
  local forged = "198.51." .. (sent % 256) .. "." .. (math.random(0, 255))
  return wrk.format(nil, nil, { ["X-Forwarded-For"] = forged .. ", 203.0.113.7" })
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status == 429 then
    local seen = {}
    for name, _ in pairs(headers) do
      seen[string.lower(name)] = true
    end
    if not (seen["retry-after"] and seen["ratelimit-limit"] and seen["ratelimit-remaining"]
            and seen["ratelimit-reset"]) then
      incomplete = incomplete + 1
    end
  end
end

function done(summary, latency, requests)
  local totals, missing = {}, 0
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      totals[status] = (totals[status] or 0) + count
    end
    missing = missing + thread:get("incomplete")
  end
  for status, count in pairs(totals) do
    io.write(string.format("status %d %d\n", status, count))
  end
  io.write(string.format("incomplete-429 %d\n", missing))
  local errors = summary.errors
  io.write(string.format("socket-errors %d (connect %d, read %d, write %d, timeout %d)\n",
    errors.connect + errors.read + errors.write + errors.timeout,
    errors.connect, errors.read, errors.write, errors.timeout))
end
