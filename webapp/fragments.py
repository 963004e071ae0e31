"""Serve a page whose title and content come from the KB alone, rendered once per KB version, language and key.

Only a page's `title` and `content` blocks are kept (they must use nothing of the user or the session);
the rest of the page (navigation, account, CSRF token) is rendered for each request around them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, render_template, request
from markupsafe import Markup

from .i18n import current_language
from .kb import get_kb

SHELL = "_kb_page.html"


def kb_page(key: str, template: str, context: Callable[[], dict[str, Any]]) -> str:
    """Render `template`; its title and content blocks, and the `context` they need, are built once per KB version."""
    blocks = get_kb().cached(f"web-page:{template}:{key}:{current_language()}:{request.script_root}",
                             lambda: _blocks(template, context()))
    return render_template(SHELL, kb_title=blocks[0], kb_content=blocks[1])


def _blocks(template: str, context: dict[str, Any]) -> tuple[Markup, Markup]:
    app = current_app._get_current_object()
    page = app.jinja_env.get_or_select_template(template)
    app.update_template_context(context)
    ctx = page.new_context(context)
    for _ in page.root_render_func(ctx):  # the whole page once, for the macros its top level imports
        pass
    return tuple(Markup("".join(page.blocks[name](ctx))) for name in ("title", "content"))
