"""Logs are JSON and never hold a full IP address."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import logging.config
from typing import Any, ClassVar

import pytest
from pydantic import ValidationError
from uvicorn.config import Config
from uvicorn.server import ServerState

from service import request_head
from service.config import Settings, get_settings
from service.logs import (
    JsonFormatter,
    TruncateAddresses,
    log_config,
    mask_addresses,
    parse_access_log,
)
from service.request_head import BoundedHttpToolsProtocol


class TestLogs:
    def test_addresses_are_cut_to_their_network(self) -> None:
        text = '198.51.100.77:53211 - "GET /o/x.gif HTTP/1.1" 200 from 2001:db8:abcd:12::1'
        assert (
            mask_addresses(text)
            == '198.51.100.0:53211 - "GET /o/x.gif HTTP/1.1" 200 from 2001:db8:abcd::'
        )

    def test_a_record_becomes_one_json_line_without_the_full_address(self) -> None:
        record = logging.LogRecord(
            "uvicorn.access",
            logging.INFO,
            __file__,
            1,
            '%s - "%s"',
            ("203.0.113.9:1234", "GET /c/t"),
            None,
        )
        TruncateAddresses().filter(record)
        line = JsonFormatter().format(record)
        data = json.loads(line)
        assert data["message"] == '203.0.113.0:1234 - "GET /c/t"'
        assert data["level"] == "info" and data["logger"] == "uvicorn.access"
        assert "203.0.113.9" not in line


def _access_lines(access_log: str, paths: list[str]) -> list[str]:
    """The access lines uvicorn's records of ``paths`` leave under ``log_config``."""
    stream = io.StringIO()
    logger = logging.getLogger("uvicorn.access")
    logger.filters.clear()  # dictConfig adds a logger's filters to those it already has
    logging.config.dictConfig(log_config("info", access_log=access_log))
    handler = logger.handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(stream)
    try:
        for path in paths:  # the call uvicorn's protocols make after each response
            logger.info('%s - "%s %s HTTP/%s" %d', "203.0.113.9:1234", "GET", path, "1.1", 200)
    finally:
        logger.filters.clear()
        logging.config.dictConfig(log_config("warning"))
    return [json.loads(line)["message"] for line in stream.getvalue().splitlines()]


class TestCollectorAccessLog:
    HITS: ClassVar[list[str]] = [
        "/o/tok.gif",
        "/c/tok",
        "/v?s=1",
        "/v.gif?s=1",
        "/t.js",
        "/o/tok2.gif",
    ]

    def test_by_default_collector_hits_leave_no_line_and_other_routes_do(self) -> None:
        lines = _access_lines("off", [*self.HITS, "/api/prospects", "/visits", "/"])
        assert lines == [
            '203.0.113.0:1234 - "GET /api/prospects HTTP/1.1" 200',
            '203.0.113.0:1234 - "GET /visits HTTP/1.1" 200',
            '203.0.113.0:1234 - "GET / HTTP/1.1" 200',
        ]

    def test_all_logs_every_hit_with_its_address_masked(self) -> None:
        lines = _access_lines("all", self.HITS)
        assert len(lines) == len(self.HITS)
        assert all(line.startswith("203.0.113.0:1234") for line in lines)

    def test_a_sample_keeps_one_hit_in_n(self) -> None:
        assert len(_access_lines("sample:3", self.HITS * 2)) == 4

    def test_a_setting_outside_the_three_forms_is_refused_with_a_sentence(self) -> None:
        for value in ("sometimes", "sample:0", "sample:x"):
            with pytest.raises(ValueError, match="off, all or sample:N"):
                parse_access_log(value)
        assert parse_access_log(" Sample:10 ") == 10
        with pytest.raises(ValidationError, match="access_log"):
            Settings(access_log="loud")


class _Transport(asyncio.Transport):
    """A connection that takes every write."""

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"peername": ("203.0.113.9", 1234), "sockname": ("127.0.0.1", 8000)}.get(
            name, default
        )

    def write(self, data: Any) -> None:
        pass

    def is_closing(self) -> bool:
        return False

    def close(self) -> None:
        pass


async def _gif(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b""})


class TestServeDecidesBeforeTheRecordIsBuilt:
    """`candor serve`'s protocol drops a collector hit's access line before uvicorn
    builds its log record: the logger never sees it (a record costs a tenth of a hit)."""

    PATHS: ClassVar[list[str]] = ["/o/tok.gif", "/c/tok", "/v.gif?s=1", "/api/prospects"]

    def _records(self, monkeypatch: pytest.MonkeyPatch, setting: str) -> list[str]:
        monkeypatch.setenv("CANDOR_ACCESS_LOG", setting)
        get_settings.cache_clear()
        request_head._access_lines.cache_clear()  # a sample counts from its first hit
        seen: list[str] = []

        class Seen(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                assert isinstance(record.args, tuple)
                seen.append(str(record.args[2]))

        logger = logging.getLogger("uvicorn.access")
        saved = logger.handlers, logger.filters, logger.level
        logger.handlers, logger.filters = [Seen()], []  # only what the protocol passes on
        logger.setLevel(logging.INFO)
        try:
            asyncio.run(self._serve())
        finally:
            logger.handlers, logger.filters, _ = saved
            logger.setLevel(saved[2])
            get_settings.cache_clear()
        return seen

    async def _serve(self) -> None:
        config = Config(_gif, log_config=None, log_level="info", lifespan="off")
        config.load()
        protocol = BoundedHttpToolsProtocol(config=config, server_state=ServerState(), app_state={})
        protocol.connection_made(_Transport())
        for path in self.PATHS * 2:
            protocol.data_received(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            for _ in range(3):  # the request's task runs and answers
                await asyncio.sleep(0)
        protocol.connection_lost(None)

    def test_by_default_no_record_of_a_collector_hit_exists(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        assert self._records(monkeypatch, "off") == ["/api/prospects"] * 2

    def test_all_and_a_sample_keep_their_lines(self, monkeypatch: pytest.MonkeyPatch) -> None:
        assert len(self._records(monkeypatch, "all")) == 8
        assert len(self._records(monkeypatch, "sample:3")) == 4  # 2 of 6 hits, and the API
