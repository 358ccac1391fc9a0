"""The Reflex app: pages, plus the API mounted on the same server."""

import warnings

import reflex as rx
from sqlalchemy.exc import SAWarning
from starlette.types import ASGIApp

from todochat.api import create_api
from todochat.api.embed_cors import ChatKitFrameCORS
from todochat.chat.factory import shared_chatkit_server
from todochat.models import Account, AuthSession, ChatItem, ChatThread, Jwks, Task, UndoAction, User
from todochat.live_processes import keep_alive
from todochat.redis_keyspace import keep_other_keyspace_events
from todochat.socket_owners import take_over_dead_owners
from todochat.request_log import log_to_stdout
from todochat.ui.auth_state import AuthState
from todochat.ui.chat_state import ChatState
from todochat.ui.components.connection_notice import connection_notice
from todochat.ui.pages.auth_pages import sign_in_page, sign_up_page
from todochat.ui.pages.chat_page import chat_page
from todochat.ui.pages.not_found import not_found_page
from todochat.ui.pages.tasks_page import tasks_page
from todochat.ui.task_state import TaskState

# Reflex merges each registered model's metadata into one; ours all share
# SQLModel.metadata, so it meets every table several times. Harmless; keep logs clean.
warnings.filterwarnings(
    "ignore", message=r"Table '\w+' already exists within the given MetaData", category=SAWarning
)
# Reflex's own tooling (``reflex db ...``, which loads this module) must know every table,
# or it would drop them. Registered here so the data layer never imports the UI framework.
for _model in (User, Account, Jwks, Task, ChatThread, ChatItem, UndoAction, AuthSession):
    rx.ModelRegistry.register(_model)


# Before Reflex first talks to Redis: it adds its keyspace notifications to the server's.
keep_other_keyspace_events()
# A tab reconnecting after its worker died keeps its page state (and the lost turn in it).
take_over_dead_owners()
log_to_stdout()


def index() -> rx.Component:
    return rx.center(rx.spinner(), min_height="100vh")


class App(rx.App):
    """rx.App with one more layer outside everything Reflex builds.

    Reflex wraps the whole server in its own CORS (``cors_allowed_origins``), and that
    refuses the preflight of the sandboxed ChatKit frame, whose origin is the opaque
    "null", before the mounted API is reached: the embed could never call POST /chatkit.
    ChatKitFrameCORS answers exactly that route for exactly that origin; every other
    request goes through Reflex's CORS as before.
    """

    def __call__(self) -> ASGIApp:
        return ChatKitFrameCORS(super().__call__())


app = App(
    api_transformer=create_api(chatkit_server=shared_chatkit_server()),
    stylesheets=["/chat.css"],
    # Loaded once for the whole app: the chat page's drawers and its @-mention picker
    # (inert when there are none).
    head_components=[rx.el.script(src="/chat_drawers.js", defer=True),
                     rx.el.script(src="/chat_mentions.js", defer=True)],
)
# Reflex's default overlay shows the websocket URL and raw error when offline; ours says it
# plainly and says when the app is back. (A wrap gets the page as its children: the fragment
# holds both.)
app.app_wraps[(5, "Overlay")] = lambda stateful: rx.fragment(connection_notice()) if stateful else None
app.add_page(index, route="/", title="todochat", on_load=AuthState.require_user_home)
app.add_page(sign_in_page, route="/sign-in", title="Sign in · todochat", on_load=AuthState.skip_if_signed_in)
app.add_page(sign_up_page, route="/sign-up", title="Sign up · todochat", on_load=AuthState.skip_if_signed_in)
app.add_page(tasks_page, route="/tasks", title="Tasks · todochat", on_load=TaskState.load)
app.add_page(chat_page, route="/chat", title="Chat · todochat", on_load=[TaskState.load, ChatState.load])
app.add_page(not_found_page, route="404", title="Page not found · todochat")
# With Redis, other workers see this one is alive (a turn it runs is not taken for lost).
app.register_lifespan_task(keep_alive)
