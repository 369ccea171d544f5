"""Offline operation: answering needs no network at all."""

from __future__ import annotations

import socket

import pytest


@pytest.fixture()
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_load_and_answer_without_sockets(built_index, no_network, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    from app.assistant import Assistant

    assistant = Assistant.load(built_index)
    answer = assistant.ask("社会组织党建工作由谁统一领导")
    assert not answer.refused and answer.citations[0].doc_id == "jingbanfa-2016-27"
