"""The notice shown when the browser loses its connection to the app, and when it is back.

Replaces Reflex's default overlay (a pulsing icon and a toast showing the websocket URL and
the raw error): people are told in plain words that the app is retrying, and then that it
is back, instead of being shown a URL they can do nothing with.
"""

from __future__ import annotations

import reflex as rx
from reflex_base.constants import Hooks, Imports
from reflex_base.utils.imports import ImportVar
from reflex_base.vars import VarData
from reflex_base.vars.base import Var

OFFLINE_TEXT = "Can't reach todochat — retrying…"
BACK_TEXT = "Back online"
# How long "Back online" stays up once the connection is back.
BACK_MS = 5000

# Reflex appends to connectErrors on every failed attempt (retrying with a backoff) and
# empties it on connect. One failure can be a blip while a page loads; from the second
# one on the app is really unreachable, which is when Reflex's own toast appears too.
_STATUS_HOOK = f"""const [connectionShown, setConnectionShown] = useState("");
useEffect(() => {{
  if (connectErrors.length >= 2) {{
    setConnectionShown("offline");
  }} else if (connectErrors.length === 0) {{
    setConnectionShown((shown) => (shown === "offline" ? "back" : shown));
  }}
}}, [connectErrors.length]);
useEffect(() => {{
  if (connectionShown !== "back") return undefined;
  const timer = setTimeout(() => setConnectionShown(""), {BACK_MS});
  return () => clearTimeout(timer);
}}, [connectionShown]);"""

_connection_shown = Var(
    _js_expr="connectionShown",
    _var_type=str,
    _var_data=VarData(
        imports={
            **Imports.CONNECT_ERRORS,
            "react": [*Imports.CONNECT_ERRORS["react"], ImportVar(tag="useState"), ImportVar(tag="useEffect")],
        },
        hooks={Hooks.CONNECT_ERRORS: None, _STATUS_HOOK: None},
    ),
)


@rx.memo
def connection_notice() -> rx.Component:
    # The live region is always in the page, so screen readers hear each change of its text.
    return rx.box(
        rx.match(
            _connection_shown,
            ("offline", rx.flex(rx.spinner(size="1"), rx.text(OFFLINE_TEXT, size="2", weight="medium"),
                                align="center", spacing="2", class_name="connection-pill")),
            ("back", rx.flex(rx.icon("wifi", size=16), rx.text(BACK_TEXT, size="2", weight="medium"),
                             align="center", spacing="2", class_name="connection-pill")),
            rx.fragment(),
        ),
        role="status",
        aria_live="polite",
        class_name="connection-notice",
        data_state=_connection_shown,
    )
