"""The ``github`` checker: is the person's email in public commits or on a GitHub account?

Git writes the author's email into every commit, and GitHub's search finds
commits by author email: a personal email used once for a public repository
stays public in its history. The user search finds accounts that show the
email on their profile.

Two searches per email (``Accept: application/vnd.github+json``):

* ``GET {base}/search/commits?q=author-email:{email}`` → findings of kind
  ``profile``, one per repository (key = email + repository full name);
* ``GET {base}/search/users?q={email}+in:email`` → findings of kind ``account``.

Without a token GitHub allows 10 searches a minute; an exhausted quota is a
403 with ``x-ratelimit-remaining: 0`` (or a "secondary rate limit" message),
which is *rate limited*, not a bad key. An optional token comes from
``EXPOSURE_GITHUB_TOKEN`` (or ``EXPOSURE_GITHUB_API_KEY`` / the keyring).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, quote_plus

from exposure import secrets
from exposure.checkers import api
from exposure.checkers.base import ScanContext, TaskResult
from exposure.model import AccountAction, AskToRemove, Exposes, Finding, FindingKind, Outcome, Whose
from exposure.people.own_accounts import is_own_account
from exposure.textsafe import clean
from exposure.urls import is_web_url

CHECKER_ID = "github"
SOURCE_COMMITS = "GitHub commits"
SOURCE_USERS = "GitHub users"
DEFAULT_BASE = "https://api.github.com"
KEY_SERVICE = "github"
TOKEN_ENV = "EXPOSURE_GITHUB_TOKEN"
PER_PAGE = 100
ACCEPT = "application/vnd.github+json"
MAX_TEXT = 200
RATE_LIMIT_HINT = f"GitHub allows 10 searches a minute without a token; set {TOKEN_ENV}"


def _web_url(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    return value.strip() if is_web_url(value.strip()) else ""


def _text(value: Any) -> str:
    return clean(value, limit=MAX_TEXT).strip() if isinstance(value, str) else ""


# --------------------------------------------------------------------------- answers


def _api_message(body: bytes) -> str:
    """GitHub's ``message`` from an error answer, cleaned, or ""."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return ""
    return _text(data.get("message")) if isinstance(data, dict) else ""


def _search(ctx: ScanContext, source: str, url: str) -> tuple[api.ApiAnswer, str | None]:
    """Run one search; returns the answer and, when it failed, why (None when usable)."""
    headers = {"Accept": ACCEPT, "X-GitHub-Api-Version": "2022-11-28"}
    token = secrets.api_key(KEY_SERVICE, TOKEN_ENV)
    if token:
        headers["Authorization"] = f"Bearer {token}"
    answer = api.call(
        ctx, CHECKER_ID, source, url, headers=headers, absent_statuses=(), secret=token
    )
    resp = answer.response
    if answer.usable or resp is None:
        return answer, None if answer.usable else answer.check.detail
    message = _api_message(resp.body)
    remaining = (resp.headers.get("x-ratelimit-remaining") or "").strip()
    if resp.status == 429 or (
        resp.status == 403 and (remaining == "0" or "rate limit" in message.lower())
    ):
        reset = (resp.headers.get("x-ratelimit-reset") or "").strip()
        when = f", quota resets at {clean(reset, limit=20)} (Unix time)" if reset.isdigit() else ""
        hint = "" if token else f" ({RATE_LIMIT_HINT})"
        detail = f"rate limited: HTTP {resp.status}{when}{hint}"
        answer.check = api.with_status(answer, Outcome.BLOCKED, detail)
    elif resp.status == 401 or (resp.status == 403 and answer.refusal is api.Refusal.CREDENTIALS):
        what = f"the token was refused (check {TOKEN_ENV})" if token else "the API refused us"
        detail = f"HTTP {resp.status}: {what}" + (f": {message}" if message else "")
        answer.check = api.with_status(answer, Outcome.BLOCKED, detail)
    elif resp.status == 422:
        detail = "GitHub could not run the search (HTTP 422)" + (f": {message}" if message else "")
        answer.check = api.with_status(answer, Outcome.ERROR, detail)
    return answer, answer.check.detail


def _items(data: Any) -> tuple[list[Any], int] | None:
    """``(items, total_count)`` of a search answer, or None when it is not one."""
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        return None
    total = data.get("total_count")
    if not isinstance(total, int) or isinstance(total, bool):
        total = len(data["items"])
    return data["items"], total


def _incomplete(data: dict[str, Any]) -> str:
    return "; GitHub says the results are incomplete" if data.get("incomplete_results") else ""


# --------------------------------------------------------------------------- commits


@dataclass
class RepoCommits:
    full_name: str
    url: str
    commits: int = 0
    author_names: list[str] = field(default_factory=list)
    commit_urls: list[str] = field(default_factory=list)


def group_commits(items: list[Any]) -> tuple[dict[str, RepoCommits], int]:
    """Commits grouped by repository full name; also the number of unreadable items."""
    repos: dict[str, RepoCommits] = {}
    bad = 0
    for item in items:
        repo = item.get("repository") if isinstance(item, dict) else None
        name = _text(repo.get("full_name")) if isinstance(repo, dict) else ""
        if not isinstance(item, dict) or not isinstance(repo, dict) or not name:
            bad += 1
            continue
        url = _web_url(repo.get("html_url")) or f"https://github.com/{quote(name)}"
        group = repos.setdefault(name.lower(), RepoCommits(name, url))
        group.commits += 1
        commit = item.get("commit")
        author = commit.get("author") if isinstance(commit, dict) else None
        author_name = _text(author.get("name")) if isinstance(author, dict) else ""
        if author_name and author_name not in group.author_names:
            group.author_names.append(author_name)
        commit_url = _web_url(item.get("html_url"))
        if commit_url and len(group.commit_urls) < 10:
            group.commit_urls.append(commit_url)
    return repos, bad


def check_commits(ctx: ScanContext, email: str) -> TaskResult:
    """Search public commits authored with ``email``: one finding per repository."""
    base = api.base_url(ctx, CHECKER_ID, DEFAULT_BASE)
    q = quote_plus(f"author-email:{email}")
    url = f"{base}/search/commits?q={q}&per_page={PER_PAGE}"
    answer, failed = _search(ctx, SOURCE_COMMITS, url)
    if failed is not None:
        return TaskResult([answer.check])
    parsed = _items(answer.data)
    if parsed is None:
        return TaskResult([api.with_status(answer, Outcome.ERROR, "unexpected answer shape")])
    items, total = parsed
    repos, bad = group_commits(items)
    if items and not repos:
        detail = "unexpected answer shape: no commit carried a repository"
        return TaskResult([api.with_status(answer, Outcome.ERROR, detail)])
    note = _incomplete(answer.data) + (f"; {bad} unreadable item(s) skipped" if bad else "")
    if not repos:
        return TaskResult([api.with_status(answer, Outcome.ABSENT, "no public commits" + note)])
    capture = answer.response.capture() if answer.response else None
    more = f" ({total} in all; the first {len(items)} were read)" if total > len(items) else ""
    findings = [
        Finding(
            checker=CHECKER_ID,
            source=SOURCE_COMMITS,
            kind=FindingKind.PROFILE,
            key=f"{email}:{repo.full_name.lower()}",
            url=repo.url,
            confidence=1.0,
            reasons=[
                f"your email is in public commits: {repo.commits} commit(s) in "
                f"{repo.full_name} list {email} as the author{more}",
                *([f"author name(s): {', '.join(repo.author_names)}"] if repo.author_names else []),
            ],
            matched={
                "email": email,
                "repository": repo.full_name,
                "commits": repo.commits,
                "author_names": repo.author_names,
                "commit_urls": repo.commit_urls,
            },
            title=f"{email} in public commits of {repo.full_name}",
            exposes=frozenset({Exposes.EMAIL}),
            remedy=AskToRemove(where=SOURCE_COMMITS, advice="profile"),
            capture=capture,
        )
        for repo in repos.values()
    ]
    detail = f"{total} commit(s) in {len(repos)} repositor{'y' if len(repos) == 1 else 'ies'}"
    return TaskResult([api.with_status(answer, Outcome.FOUND, detail + note)], findings)


# --------------------------------------------------------------------------- users


def check_users(ctx: ScanContext, email: str) -> TaskResult:
    """Search accounts that show ``email`` on their profile."""
    base = api.base_url(ctx, CHECKER_ID, DEFAULT_BASE)
    url = f"{base}/search/users?q={quote_plus(email)}+in:email&per_page={PER_PAGE}"
    answer, failed = _search(ctx, SOURCE_USERS, url)
    if failed is not None:
        return TaskResult([answer.check])
    parsed = _items(answer.data)
    if parsed is None:
        return TaskResult([api.with_status(answer, Outcome.ERROR, "unexpected answer shape")])
    items, _total = parsed
    capture = answer.response.capture() if answer.response else None
    findings: list[Finding] = []
    bad = 0
    for item in items:
        login = _text(item.get("login")) if isinstance(item, dict) else ""
        if not isinstance(item, dict) or not login:
            bad += 1
            continue
        profile_url = _web_url(item.get("html_url")) or f"https://github.com/{quote(login)}"
        own = is_own_account(profile_url, ctx.match_profile.accounts)
        reasons = [f"the GitHub account {login} shows your email {email}"]
        if own:
            reasons.append("one of your known accounts")
        findings.append(
            Finding(
                checker=CHECKER_ID,
                source=SOURCE_USERS,
                kind=FindingKind.ACCOUNT,
                key=f"{email}:{login.lower()}",
                url=profile_url,
                confidence=1.0,
                reasons=reasons,
                matched={"email": email, "login": login, "site": "GitHub"},
                title=f"GitHub account {login}",
                exposes=frozenset({Exposes.EMAIL}),
                whose=Whose.OWN if own else Whose.UNKNOWN,
                remedy=AccountAction(site="GitHub", username=login),
                capture=capture,
            )
        )
    if items and not findings:
        detail = "unexpected answer shape: no user carried a login"
        return TaskResult([api.with_status(answer, Outcome.ERROR, detail)])
    note = _incomplete(answer.data) + (f"; {bad} unreadable item(s) skipped" if bad else "")
    if not findings:
        return TaskResult([api.with_status(answer, Outcome.ABSENT, "no account shows it" + note)])
    detail = f"{len(findings)} account(s)" + note
    return TaskResult([api.with_status(answer, Outcome.FOUND, detail)], findings)


# --------------------------------------------------------------------------- the checker


class GithubChecker(api.EmailApiChecker):
    id = CHECKER_ID
    default_base = DEFAULT_BASE
    title = "GitHub"
    description = (
        "Searches GitHub for public commits authored with your email and for accounts "
        "that show your email."
    )
    lookup = (
        "Reads GitHub's public search API for commits and accounts showing your email; read- "
        "only, nobody is notified."
    )

    def lookups(self) -> list[tuple[str, api.Lookup]]:
        return [(SOURCE_COMMITS, check_commits), (SOURCE_USERS, check_users)]
