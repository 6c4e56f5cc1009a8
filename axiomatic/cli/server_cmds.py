"""`axiomatic server start | stop | status`: the background Lean service (docs/service.md)."""

from __future__ import annotations

import time

import click

from ..errors import BackendError
from ..lean.service_client import ping, request, service_files, start_service
from .common import emit_json, handle_errors, json_option, main, make_config, say


@main.group()
def server() -> None:
    """The background Lean service that keeps warm Lean environments between commands.

    Commands that need Lean start it on first use; these commands manage it by hand.
    """


@server.command()
@json_option
@handle_errors
def start(as_json: bool) -> None:
    """Start the service in the background (no-op if it runs). Exit 0 running, 3 it did not start."""
    config = make_config()
    was = ping(config)
    info = was or start_service(config, known_down=True)
    if info is None:
        raise BackendError("the Lean service did not start", detail=f"see {service_files(config)['log']}")
    payload = {"running": True, "pid": info["pid"], "already_running": was is not None,
               "socket": str(service_files(config)["socket"])}
    if as_json:
        emit_json(payload)
    else:
        say(f"Lean service {'already ' if was else ''}running (pid {info['pid']}) on {payload['socket']}")


@server.command()
@json_option
@handle_errors
def stop(as_json: bool) -> None:
    """Stop the service. Exit 0 stopped (or none was running)."""
    config = make_config()
    info = ping(config)
    if info is not None:
        request(config, {"op": "stop"}, timeout=30)
        deadline = time.monotonic() + 60
        while ping(config) is not None and time.monotonic() < deadline:
            time.sleep(0.2)
    payload = {"running": False, "stopped": info is not None, "pid": info["pid"] if info else None}
    if as_json:
        emit_json(payload)
    else:
        say(f"Lean service stopped (pid {info['pid']})" if info else "no Lean service was running")


@server.command()
@json_option
@handle_errors
def status(as_json: bool) -> None:
    """Show the service and its warm Lean environments. Exit 0 running, 1 not running."""
    config = make_config()
    try:
        answer = request(config, {"op": "status"}, timeout=30)  # no ping first: nothing listening is an OSError
    except (OSError, ValueError, BackendError):
        answer = None
    if answer is None:
        if as_json:
            emit_json({"running": False, "socket": str(service_files(config)["socket"])})
        else:
            say("no Lean service is running")
        raise SystemExit(1)
    if not answer.pop("ok", False):  # e.g. a service of another protocol version
        raise BackendError(str(answer.get("message", "the Lean service refused the status request")))
    payload = {"running": True, **answer}
    if as_json:
        emit_json(payload)
        return
    say(f"Lean service pid {payload['pid']}, up {payload['uptime_seconds']:.0f} s, idle "
        f"{payload['idle_seconds']:.0f} s (exits after {payload['idle_exit_seconds']:.0f} s), socket {payload['socket']}")
    for env in payload["environments"]:
        header = env["header"].replace("\n", "; ") or "(Init only)"
        say(f"  {env['state']:8} {header}  heartbeats {env['max_heartbeats']}, {env['checks']} checks, "
            f"{env['starts']} starts, {env['rss_mb']} MB")
    host = payload["fallback_host"]
    say(f"  host-mode fallback: {'running' if host['running'] else 'stopped'}; served {payload['served']}")
