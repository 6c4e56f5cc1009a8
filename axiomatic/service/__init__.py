"""The background Lean service: one per user, warm Lean environments behind a Unix socket (docs/service.md).

The client is `axiomatic.lean.service_client` (lower layer, so every command's `get_backend` can use it); this
package is the daemon (`python -m axiomatic.service`), started by the client or by `axiomatic server start`."""
