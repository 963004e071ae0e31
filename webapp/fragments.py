"""Serve a page whose title and content are rendered once per KB version, language and key, not per request.

Only a page's `title` and `content` blocks are kept (they must use nothing of the user or the session);
the rest of the page (navigation, account, CSRF token) is rendered for each request around them.
A page made from the KB alone is kept for every visitor (`kb_page`); a page of one assessment is kept
under that assessment's id and content, among a bounded number per worker (`assessment_page`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from typing import Any

from flask import current_app, render_template, request
from markupsafe import Markup

from tipkb.recommend.results import kept

from .i18n import current_language
from .kb import get_kb

SHELL = "_kb_page.html"


def kb_page(key: str, template: str, context: Callable[[], dict[str, Any]]) -> str:
    """Render `template`; its title and content blocks, and the `context` they need, are built once per KB version."""
    blocks = get_kb().cached(f"web-page:{template}:{key}:{current_language()}:{request.script_root}",
                             lambda: _blocks(template, context()))
    return render_template(SHELL, kb_title=blocks[0], kb_content=blocks[1])


def assessment_page(key: Hashable, template: str, context: Callable[[], dict[str, Any]], shell: str = SHELL,
                    **live: Any) -> str:
    """Render `template` for one assessment, whose `key` must name its id and everything its blocks show.

    Call it only after the access check: whoever reaches the same key is served the same blocks. A `shell`
    extending SHELL may add parts rendered for each request (forms), from the `live` values.
    """
    blocks = kept(get_kb(), ("web-page", template, key, current_language(), request.script_root),
                  lambda: _blocks(template, context()))
    return render_template(shell, kb_title=blocks[0], kb_content=blocks[1], **live)


def _blocks(template: str, context: dict[str, Any]) -> tuple[Markup, Markup]:
    app = current_app._get_current_object()
    page = app.jinja_env.get_or_select_template(template)
    app.update_template_context(context)
    ctx = page.new_context(context)
    kept: dict[str, str] = {}

    def keeping(name: str, render: Callable) -> Callable:
        def block(context: Any) -> Iterator[str]:
            kept[name] = "".join(render(context))
            yield kept[name]
        return block

    for name in ("title", "content"):  # the page's own blocks, caught as the layout renders them
        ctx.blocks[name][0] = keeping(name, ctx.blocks[name][0])
    for _ in page.root_render_func(ctx):  # the whole page once: each block is rendered once, in its place
        pass
    return Markup(kept["title"]), Markup(kept["content"])
