"""Logs are JSON and never hold a full IP address."""

from __future__ import annotations

import json
import logging

from service.logs import JsonFormatter, TruncateAddresses, mask_addresses


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
