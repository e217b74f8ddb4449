"""Cached pages with holes for what belongs to one person.

A page is rendered once with *holes* where the base template shows something personal (the account
menu, the flash messages, a "follow" button for signed-in people) and where any CSRF token goes.
The rendered text is cached; each request fills the holes for itself, which costs a few small
template renders and no query of the page's own. So a cached page never carries one session's
menu, messages or CSRF token into another's.

Two uses:

- ``shared_page``: a public page built only from reference data, cached under the data's edition
  and the normalised query. Visitors without a session get the same bytes, with ``ETag``,
  ``Last-Modified`` and ``Cache-Control: public`` (and 304 to a conditional GET); signed-in people
  get the same page with their own holes filled, marked private.
- ``personal_page``: a person's own page, cached under a key the view builds from the versions of
  the data it shows (the person's, the edition) and checked with ``still_valid`` before use.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from functools import wraps

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.template.loader import get_template, render_to_string
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from lib import versions

from .edition import current_edition, forget_edition

# The personal parts of a page, by hole name. A hole may carry one slug-like argument.
HOLES = {
    "account_nav": "includes/account_nav.html",
    "messages": "includes/messages.html",
    "follow_roadmap": "includes/follow_roadmap.html",
    "save_what_if": "includes/save_what_if.html",
}
HOLE_PATTERN = re.compile(r"<!--hole:([a-z_]+):([A-Za-z0-9_-]*)-->")
# Stands for the CSRF token while a page is rendered for the cache. Escaping leaves it unchanged.
CSRF_PLACEHOLDER = "csrf-token-hole-5f0c2a"
RENDERING_FLAG = "_render_with_holes"
# Entries are keyed by versions; an entry nobody can reach any more just expires.
PAGE_TIMEOUT_SECONDS = 24 * 60 * 60
# Browsers and a CDN may reuse a public page this long before asking again (and get 304 when the
# edition is unchanged); an editor's change reaches every visitor within this time.
PUBLIC_MAX_AGE_SECONDS = 300
GZIP_WORD = re.compile(r"\bgzip\b")
# A query longer than this is served but not cached, so junk URLs cannot flood the cache.
MAX_CACHED_QUERY_LENGTH = 1000


# Each process also keeps recent entries in memory: their keys name the versions they were built
# from, so a copy can never be stale, and a hit saves moving a page's bytes out of Redis.
LOCAL_ENTRIES_MAX_BYTES = 32 * 1024 * 1024


class _LocalEntries:
    """A small least-recently-used store of cache entries, bounded by the size of their text."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes, self.size = max_bytes, 0
        self.entries: OrderedDict[str, tuple[dict, int]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> dict | None:
        with self.lock:
            found = self.entries.get(key)
            if found is None:
                return None
            self.entries.move_to_end(key)
            return found[0]

    def set(self, key: str, entry: dict) -> None:
        size = sum(len(value) for value in entry.values() if isinstance(value, str | bytes))
        with self.lock:
            if key in self.entries:
                self.size -= self.entries.pop(key)[1]
            self.entries[key] = (entry, size)
            self.size += size
            while self.size > self.max_bytes and self.entries:
                self.size -= self.entries.popitem(last=False)[1][1]

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0


local_entries = _LocalEntries(LOCAL_ENTRIES_MAX_BYTES)


def forget_local_copies() -> None:
    """Forget what this process keeps besides the shared cache (for tests, which empty the cache and
    the database between them)."""
    local_entries.clear()
    _hole_memo.clear()
    forget_edition()


def _storage_key(key: str) -> str:
    """Keys carry what visitors put in URLs (any byte, any length): store them by their hash."""
    return "pages:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def _get_entry(key: str) -> dict | None:
    key = _storage_key(key)
    entry = local_entries.get(key)
    if entry is None:
        entry = cache.get(key)
        if entry is not None:
            local_entries.set(key, entry)
    return entry


def _set_entry(key: str, entry: dict) -> None:
    key = _storage_key(key)
    local_entries.set(key, entry)
    cache.set(key, entry, PAGE_TIMEOUT_SECONDS)


def hole_context(request) -> dict:
    """Context processor: while rendering for the cache, every CSRF token is a placeholder."""
    if getattr(request, RENDERING_FLAG, False):
        return {"csrf_token": CSRF_PLACEHOLDER, "render_with_holes": True}
    return {}


def hole_marker(name: str, arg: str = "") -> str:
    if name not in HOLES or not re.fullmatch(r"[A-Za-z0-9_-]*", arg):
        raise ValueError(f"Unknown hole {name!r} or argument {arg!r}.")
    return f"<!--hole:{name}:{arg}-->"


def render_with_holes(request, template_name: str, context: dict) -> str:
    setattr(request, RENDERING_FLAG, True)
    try:
        return render_to_string(template_name, context, request)
    finally:
        delattr(request, RENDERING_FLAG)


# Holes that depend only on whether someone is signed in, the argument and the page's section: drawn
# once per process for each combination, with the CSRF token left as a placeholder.
MEMO_HOLES = {"account_nav", "follow_roadmap"}
_hole_memo: dict[tuple, str] = {}


def fill_holes(request, html: str) -> str:
    """The page for this request: its own account menu, messages and CSRF token."""
    html = HOLE_PATTERN.sub(lambda match: _hole(request, match[1], match[2]), html)
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return html


def _hole(request, name: str, arg: str) -> str:
    if name == "messages" and not len(get_messages(request)):
        return ""
    if name not in MEMO_HOLES:
        return render_to_string(HOLES[name], {"hole_arg": arg, "csrf_token": CSRF_PLACEHOLDER}, request)
    match = request.resolver_match
    memo_key = (name, arg, request.user.is_authenticated, match and match.url_name, match and match.app_name)
    if memo_key not in _hole_memo:
        context = {"hole_arg": arg, "csrf_token": CSRF_PLACEHOLDER}
        _hole_memo[memo_key] = render_to_string(HOLES[name], context, request)
    return _hole_memo[memo_key]


def _fill_for_anonymous(request, html: str) -> str:
    """The page any visitor without a session sees: no messages, no CSRF token (these pages have no
    form that posts for them), the menu for signing in."""
    context = {"user": AnonymousUser(), "request": request, "messages": (), "csrf_token": ""}
    html = html.replace(CSRF_PLACEHOLDER, "")
    return HOLE_PATTERN.sub(lambda m: get_template(HOLES[m[1]]).render(context | {"hole_arg": m[2]}), html)


def normalised_query(query: QueryDict, allowed: Iterable[str]) -> QueryDict:
    """Only the parameters the page reads, sorted: ``?b=1&a=2`` and ``?a=2&b=1`` are one page."""
    allowed = set(allowed)
    pairs = sorted((name, value) for name, values in query.lists() if name in allowed for value in values)
    normal = QueryDict(mutable=True)
    for name, value in pairs:
        normal.appendlist(name, value)
    normal._mutable = False
    return normal


def _is_sessionless(request) -> bool:
    """No session and no pending message: the visitor sees exactly what every such visitor sees."""
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and CookieStorage.cookie_name not in request.COOKIES


def shared_page(*, params: Iterable[str] = ()) -> Callable:
    """Cache a GET view built only from reference data, under the edition and the normalised query.

    The view sees the normalised query and an anonymous user while it renders for the cache; 404s,
    redirects and errors pass through uncached."""
    params = tuple(params)

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            request.GET = normalised_query(request.GET, params)
            edition = current_edition()
            query = request.GET.urlencode()
            key = f"page:{edition}:{bool(request.htmx):d}:{request.path}?{query}"
            entry = _get_entry(key)
            if entry is None:
                response = _render_as_anonymous(view, request, args, kwargs)
                if not isinstance(response, dict):
                    return response
                entry = response
                if len(query) <= MAX_CACHED_QUERY_LENGTH:
                    _set_entry(key, entry)
            if _is_sessionless(request):
                return _public_response(request, entry, edition)
            response = HttpResponse(fill_holes(request, entry["body"]), content_type=entry["content_type"])
            _mark_private(response)
            return response

        return wrapper

    return decorator


def _public_response(request, entry: dict, edition: str) -> HttpResponse:
    """The shared bytes, compressed once when stored (they hold no secret, so compression cannot
    leak one), with what browsers and a CDN need to keep and revalidate them."""
    if GZIP_WORD.search(request.headers.get("Accept-Encoding", "")):
        response = HttpResponse(entry["anonymous_gzip"], content_type=entry["content_type"])
        response["Content-Encoding"] = "gzip"
        etag = entry["etag"][:-1] + '-gzip"'  # each encoding its own strong validator
    else:
        response = HttpResponse(entry["anonymous"], content_type=entry["content_type"])
        etag = entry["etag"]
    response["ETag"] = etag
    response["Last-Modified"] = http_date(versions.token_time(edition))
    response["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE_SECONDS}"
    patch_vary_headers(response, ("Cookie", "HX-Request", "Accept-Encoding"))
    last_modified = int(versions.token_time(edition))
    return get_conditional_response(request, etag=etag, last_modified=last_modified, response=response)


def _render_as_anonymous(view, request, args, kwargs) -> dict | HttpResponse:
    """Render the view for the cache: as nobody in particular, with holes."""
    user = request.__dict__.get("user")
    request.user = AnonymousUser()
    setattr(request, RENDERING_FLAG, True)
    try:
        response = view(request, *args, **kwargs)
    finally:
        delattr(request, RENDERING_FLAG)
        if user is None:
            del request.user
        else:
            request.user = user
    if response.status_code != 200 or response.streaming or response.cookies:
        return view(request, *args, **kwargs)  # not for the cache: drawn again for this request alone
    body = response.content.decode(response.charset)
    anonymous = _fill_for_anonymous(request, body).encode(response.charset)
    return {
        "body": body,
        "anonymous": anonymous,
        "anonymous_gzip": gzip.compress(anonymous, compresslevel=6, mtime=0),
        "content_type": response["Content-Type"],
        "etag": '"' + hashlib.blake2b(anonymous, digest_size=12).hexdigest() + '"',
    }


def _mark_private(response: HttpResponse) -> None:
    response["Cache-Control"] = "private, no-cache"
    patch_vary_headers(response, ("Cookie", "HX-Request"))


def personal_page(
    request,
    *,
    key: str,
    template_name: str,
    build: Callable[[], tuple[dict, dict]],
    still_valid: Callable[[dict], bool] = lambda meta: True,
) -> HttpResponse:
    """A person's page from the cache when its key (made of the versions of what it shows) and
    ``still_valid(meta)`` agree; else ``build()`` -> (context, meta) and render it for the cache."""
    entry = _get_entry(key)
    if entry is None or not still_valid(entry["meta"]):
        context, meta = build()
        entry = {"body": render_with_holes(request, template_name, context), "meta": meta}
        _set_entry(key, entry)
    response = HttpResponse(fill_holes(request, entry["body"]))
    _mark_private(response)
    return response
