"""``handoff connect zendesk``: add (or sign in again to) a Zendesk connection from the terminal.

The API token (or, with ``--oauth``, an OAuth access token) is read from standard input when it
is piped, or asked for without echo; never from an argument, where it would land in the shell
history and the process list. The connection is tested first (``users/me``): bad credentials,
an unreachable host, an untrusted certificate or a non-agent account are reported and nothing
is saved. Then the connection is saved and the secret goes to the OS keychain only.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from core.remote.connections import ConnectionDraft, ConnectionProblem, connection_named, save_connection
from core.remote.dtos import AuthMethod, Connection
from desktop.cli import CliError, add_data_dir_argument
from desktop.commands.policy import require_connection_allowed
from desktop.commands.workspace_arg import open_engine
from sync.connectors.base import AccountCheck

# The sync packages (keychain, HTTP client, connectors) are imported inside the functions that
# use them: they load only when this command runs, not with every other command's parser.

KIND = "zendesk"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "connect",
        help="connect a workspace to a helpdesk account",
        description="Connect the workspace to a helpdesk account. The token is read from standard "
        "input (piped) or asked for; it is kept in the OS keychain only.",
    )
    kinds = parser.add_subparsers(dest="helpdesk", metavar="HELPDESK", required=True)
    zendesk = kinds.add_parser(
        "zendesk",
        help="a Zendesk Support account",
        description="Connect to Zendesk Support with an agent's e-mail and API token (or an OAuth "
        "access token with --oauth). Running it again with the same name signs in again.",
    )
    add_data_dir_argument(zendesk, required=True)
    zendesk.add_argument("--name", required=True, help="a name for the connection, e.g. 'Acme Zendesk'")
    zendesk.add_argument("--url", required=True, metavar="URL", help="https://SUBDOMAIN.zendesk.com")
    zendesk.add_argument("--email", metavar="EMAIL", help="the agent's e-mail (needed for an API token)")
    zendesk.add_argument(
        "--ca-bundle",
        type=Path,
        metavar="FILE",
        help="an extra CA bundle (PEM) to trust, for a proxy that inspects TLS",
    )
    zendesk.add_argument("--oauth", action="store_true", help="the token is an OAuth access token")
    zendesk.set_defaults(func=run_zendesk)


def run_zendesk(args: argparse.Namespace) -> int:
    from sync.http import install_redaction

    install_redaction()
    draft = ConnectionDraft(
        name=args.name.strip(),
        kind=KIND,
        base_url=args.url.strip().rstrip("/"),
        auth_method=AuthMethod.OAUTH if args.oauth else AuthMethod.API_TOKEN,
        account_email=args.email.strip() if args.email else None,
        ca_bundle=str(args.ca_bundle.resolve()) if args.ca_bundle else None,
    )
    require_connection_allowed(draft)  # the IT policy: allowed hosts, locked connections
    engine = open_engine(args, create=True)
    try:
        connection = _validated(engine, draft)  # problems with the input before asking for a token
        token = read_token("OAuth access token" if args.oauth else "Zendesk API token")
        account = _test(connection, token)
        saved = _save(engine, draft, token)
    finally:
        engine.dispose()
    who = f"{account.user_name} <{account.user_email}>" if account.user_email else account.user_name
    print(f"Connected {saved.name!r} to {saved.base_url} as {who}.")
    print(f"Run: handoff sync --data-dir {args.data_dir} --once")
    return 0


def read_token(label: str) -> str:
    """The secret from piped standard input, or asked for without echo on a terminal."""
    from sync.http import register_secret

    if sys.stdin is not None and not sys.stdin.isatty():
        token = sys.stdin.readline().strip()
    else:
        token = getpass.getpass(f"{label}: ").strip()
    if not token:
        raise CliError(f"No {label} was given (pipe it in, or type it when asked).")
    register_secret(token)
    return token


def _validated(engine: Engine, draft: ConnectionDraft) -> Connection:
    """The connection as it would be saved (validated, with its default mapping); nothing is kept."""
    with Session(engine) as session:
        try:
            return save_connection(session, draft, _existing_id(session, draft.name))
        except ConnectionProblem as problem:
            raise CliError("the connection cannot be saved: " + "; ".join(problem.problems)) from None
        finally:
            session.rollback()


def _save(engine: Engine, draft: ConnectionDraft, token: str) -> Connection:
    """Save the connection and keep its secret in the keychain, both or neither."""
    from sync.credentials import CredentialStoreUnavailable, store_secret

    with Session(engine) as session, session.begin():
        connection = save_connection(session, draft, _existing_id(session, draft.name))
        try:
            store_secret(connection.name, token)
        except CredentialStoreUnavailable as error:
            raise CliError(error.user_message) from None  # rolls the connection back
        return connection


def _existing_id(session: Session, name: str) -> int | None:
    existing = connection_named(session, name)
    return existing.id if existing is not None else None


def _test(connection: Connection, token: str) -> AccountCheck:
    """What "Test connection" finds: who the token belongs to; every failure is a clear CliError."""
    from sync.engine import ConnectorUnavailable
    from sync.factory import check_sign_in, sign_in_problem
    from sync.http import SyncHttpError

    try:
        account = asyncio.run(check_sign_in(connection, token))
    except (SyncHttpError, ConnectorUnavailable) as failure:
        raise CliError(sign_in_problem(failure, connection) or str(failure)) from None
    problem = sign_in_problem(account, connection)
    if problem is not None:
        raise CliError(problem)
    return account
