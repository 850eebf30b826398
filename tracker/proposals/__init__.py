"""Proposals from a source's text: the facts it reports, laid out against the records they
concern, for an editor to accept or reject (``proposer.propose``)."""
