"""The typed failures of the HTTP layer, each with a plain sentence for the UI.

Every error derives from :class:`SyncHttpError`, which says whether trying again
later can help (``retryable``) and what to tell the user (``user_message``).
The sync engine decides from the type: stop and ask for a new sign-in, mark an
outbox entry failed, open a conflict, or back off and try again later.
"""

from __future__ import annotations

from typing import Any


class SyncHttpError(Exception):
    """A request to a remote system did not succeed.

    ``user_message`` is a full sentence the UI can show as it is; ``status`` is the
    HTTP status when the server answered; ``retryable`` says whether the same
    request may succeed later without anything changing on the user's side.
    """

    retryable: bool = False

    def __init__(self, user_message: str, *, status: int | None = None, host: str = "") -> None:
        super().__init__(user_message)
        self.user_message = user_message
        self.status = status
        self.host = host


class AuthFailed(SyncHttpError):
    """401 or 403: the credentials were refused. Never retried; the user signs in again."""

    def __init__(self, host: str, status: int, server_message: str = "") -> None:
        refused = "not accepted" if status == 401 else "not allowed to do this"
        sentence = f"{host} says the sign-in is {refused} (HTTP {status}). Sign in again."
        if server_message:
            sentence = f"{sentence} The server said: {server_message}"
        super().__init__(sentence, status=status, host=host)
        self.server_message = server_message


class NotFound(SyncHttpError):
    """404: the record does not exist (any more) on the remote system."""

    def __init__(self, host: str, path: str, server_message: str = "") -> None:
        super().__init__(f"{host} has no record at {path} (HTTP 404).", status=404, host=host)
        self.path = path
        self.server_message = server_message


class Conflict(SyncHttpError):
    """409: someone else changed the record first. ``body`` is the server's answer, kept whole."""

    def __init__(self, host: str, body: Any, server_message: str = "") -> None:
        super().__init__(
            f"{host} refused the change because the record was changed by someone else in the meantime.",
            status=409,
            host=host,
        )
        self.body = body
        self.server_message = server_message


class Rejected(SyncHttpError):
    """400/422 (and other 4xx): the server refused the request; ``server_message`` says why."""

    def __init__(self, host: str, status: int, server_message: str, body: Any = None) -> None:
        reason = server_message or "no reason given"
        super().__init__(f"{host} refused the change (HTTP {status}): {reason}", status=status, host=host)
        self.server_message = server_message
        self.body = body


class TlsFailure(SyncHttpError):
    """The server's certificate is not trusted (or no secure connection could be agreed). Never retried.

    ``certificate_untrusted`` is False when the handshake failed for another reason (for
    example a plain-HTTP server on an https address); ``detail`` is the TLS library's words.
    """

    def __init__(self, host: str, detail: str = "", *, certificate_untrusted: bool = True) -> None:
        if certificate_untrusted:
            sentence = (
                f"The certificate of {host} is not trusted, so nothing was sent. If your company "
                "inspects secure connections with its own certificate authority, add its certificate "
                "in the connection's 'Extra CA bundle' setting."
            )
        else:
            sentence = (
                f"No secure connection to {host} could be set up ({detail}), so nothing was sent. "
                "Check the address; a proxy that inspects secure connections may need its certificate "
                "in the connection's 'Extra CA bundle' setting."
            )
        super().__init__(sentence, host=host)
        self.detail = detail
        self.certificate_untrusted = certificate_untrusted


class CaBundleUnreadable(SyncHttpError):
    """The extra CA bundle named by a connection cannot be read as PEM certificates."""

    def __init__(self, path: str, detail: str) -> None:
        super().__init__(
            f"The extra CA bundle {path} cannot be read as PEM certificates ({detail}). "
            "Choose another file in the connection's settings.",
        )
        self.path = path


class Retryable(SyncHttpError):
    """A temporary failure (5xx, timeout, dropped connection) that outlasted the retries.

    ``may_have_landed`` is True when the server may have applied the request before
    the failure (the answer was lost, not the request): before sending a write again
    the caller must find out whether it already landed.
    """

    retryable = True

    def __init__(
        self, user_message: str, *, host: str, status: int | None = None, may_have_landed: bool = False
    ) -> None:
        super().__init__(user_message, status=status, host=host)
        self.may_have_landed = may_have_landed


class RateLimited(Retryable):
    """429 for longer than the retry policy is willing to wait; ``retry_after`` is the server's last word."""

    def __init__(self, host: str, retry_after: float) -> None:
        super().__init__(
            f"{host} asks Handoff to slow down; it tries again in {retry_after:.0f} s.",
            host=host,
            status=429,
        )
        self.retry_after = retry_after


class Unreachable(Retryable):
    """The host could not be reached (no network, DNS failure, connection refused, timeouts)."""

    def __init__(self, host: str, detail: str = "", *, may_have_landed: bool = False) -> None:
        super().__init__(
            f"{host} cannot be reached. Handoff keeps working offline and sends your changes when the "
            "connection is back.",
            host=host,
            may_have_landed=may_have_landed,
        )
        self.detail = detail


class BadResponse(SyncHttpError):
    """A 2xx answer whose body is not the JSON the caller needs; not retried (the server sent it)."""

    def __init__(self, host: str, path: str, detail: str) -> None:
        super().__init__(f"{host} sent an answer Handoff cannot read for {path} ({detail}).", host=host)
        self.path = path
        self.detail = detail


class UnexpectedStatus(SyncHttpError):
    """A status this layer does not expect (for example a redirect); not retried."""

    def __init__(self, host: str, status: int) -> None:
        super().__init__(f"{host} answered with an unexpected HTTP {status}.", status=status, host=host)
