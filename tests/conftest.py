"""Shared test fixtures. Keep each one small and self-contained; other helpers add theirs here."""

from __future__ import annotations

import ipaddress
import socket

import pytest

# --- network guard --------------------------------------------------------------------------
# The book promises that nothing talks to any host but this machine. Every test runs with
# connect() refusing non-loopback addresses; an attempt also fails the run at the end, even if the
# code under test swallowed the error. Local Unix sockets and pipes (Chromium's, the kernels')
# are untouched.

_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def _is_local(address: object) -> bool:
    if isinstance(address, (str, bytes)):  # AF_UNIX path
        return True
    if not isinstance(address, tuple) or not address:
        return False
    host = address[0]
    if isinstance(host, bytes):
        host = host.decode()
    if host in _LOCAL_NAMES:
        return True
    try:
        ip = ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return False  # an unresolved name that is not localhost
    mapped = getattr(ip, "ipv4_mapped", None)
    return ip.is_loopback or bool(mapped and mapped.is_loopback)


class NetworkBlocked(RuntimeError):
    """A test tried to connect to a host other than this machine."""


@pytest.fixture(scope="session", autouse=True)
def _only_loopback_network():
    attempts: list[str] = []
    connect, connect_ex = socket.socket.connect, socket.socket.connect_ex
    create_connection = socket.create_connection

    def refuse(address: object) -> None:
        attempts.append(repr(address))
        raise NetworkBlocked(f"tests may only connect to loopback; tried {address!r}")

    def guarded_connect(self, address):
        if self.family != socket.AF_UNIX and not _is_local(address):
            refuse(address)
        return connect(self, address)

    def guarded_connect_ex(self, address):
        if self.family != socket.AF_UNIX and not _is_local(address):
            refuse(address)
        return connect_ex(self, address)

    def guarded_create_connection(address, *args, **kwargs):
        if not _is_local(address):  # before any DNS lookup of the name
            refuse(address)
        return create_connection(address, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", guarded_connect)
        patch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
        patch.setattr(socket, "create_connection", guarded_create_connection)
        yield attempts
    if attempts:
        pytest.fail(f"the test run tried to reach the network: {', '.join(attempts)}",
                    pytrace=False)


# --- a private S3/SQS on loopback -----------------------------------------------------------

@pytest.fixture(scope="module")
def local_aws_server():
    """moto's S3/SQS server on 127.0.0.1, with boto3's environment pointed at it (per module)."""
    from ec2vslambda.localaws import local_aws

    with local_aws() as server:
        yield server
