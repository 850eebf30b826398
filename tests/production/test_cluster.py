"""The throwaway clusters start even when another process takes their port first.

A cluster's port is chosen when initdb runs and bound seconds later, when it starts; in
between, any process of the machine may bind it.
"""

import socket

import pytest

pytestmark = pytest.mark.cluster


def test_a_cluster_whose_port_was_taken_says_why_and_moves_to_a_free_one(clusters):
    cluster = clusters.created()
    taken = cluster.port
    with socket.socket() as squatter:
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # past TIME_WAITs
        squatter.bind(("127.0.0.1", taken))
        squatter.listen()
        with pytest.raises(RuntimeError, match="Address already in use"):
            cluster.start(tries=1)  # the server log's reason is in the error
        cluster.start()

    assert cluster.port != taken
    with cluster.connect("postgres") as connection:
        assert connection.execute("SHOW port").fetchone()[0] == str(cluster.port)
