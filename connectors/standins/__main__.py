"""``python -m connectors.standins``: serve the stand-ins until Ctrl-C.

Options: ``--host`` (127.0.0.1), ``--port`` (8765), ``--data-dir`` (the shipped
samples), ``--no-faults`` (the hotline is otherwise rate-limited, as the real one).
"""

from __future__ import annotations

import argparse
import contextlib
from pathlib import Path

import uvicorn

from connectors.standins.faults import no_faults
from connectors.standins.rest_platforms import create_app
from connectors.standins.server import uvicorn_config
from connectors.standins.state import StandinState


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m connectors.standins",
        description="Serve SAMPLE stand-ins of the civil-affairs, volunteer and 12345 platforms.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--no-faults", action="store_true", help="no rate limits or outages")
    args = parser.parse_args(argv)
    state = StandinState()
    if args.no_faults:
        state.faults = no_faults()
    base = f"http://{args.host}:{args.port}"
    print(f"SAMPLE stand-ins (synthetic data) at {base}")
    print(f"  {base}/scas/api/v1/{{directors,children,visits}}  Bearer {state.civil_affairs_token}")
    print(
        f"  {base}/volunteer/api/{{volunteers,teams,service-hours}}  client credentials "
        f"{state.volunteer_client_id}:{state.volunteer_client_secret} at /volunteer/oauth/token"
    )
    print(f"  {base}/hotline/api/orders  Bearer {state.hotline_token}")
    print("Ctrl-C to stop.")
    app = create_app(args.data_dir, state)
    server = uvicorn.Server(uvicorn_config(app, host=args.host, port=args.port, log_level="info"))
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises the Ctrl-C it stopped on
        server.run()


if __name__ == "__main__":
    main()
