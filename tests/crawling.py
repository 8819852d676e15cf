"""What the page crawls (the browser's accessibility crawl, the HTML validity crawl) count as a page to visit."""

import re
from urllib.parse import urlsplit

# Links that are not pages: files, machine endpoints, the static folder. My downloads and a job's progress page
# (/downloads/, /downloads/N) are pages; a job's file and its status for the page's script are not.
NOT_A_PAGE = re.compile(
    r"^/(static|api)/|^/healthz$|^/logout$|\.(csv|xlsx|pdf|docx|json|zip|txt|svg|png|ico)$|/exports?\b"
    r"|^/downloads/\d+/(file|status)$"
)


def url_pattern(url: str) -> str:
    """Digits become N and any query string is one pattern: /assessments/12 -> /assessments/N,
    /assessments/?status=draft&page=2 -> /assessments/?, so filter links do not eat the page budget."""
    parts = urlsplit(url)
    return re.sub(r"\d+", "N", parts.path) + ("?" if parts.query else "")


def entry_points(app) -> list[str]:
    """The start page and every GET page that takes no parameters (pages no menu links to yet are found too)."""
    paths = ["/"]
    for rule in app.url_map.iter_rules():
        is_page = "GET" in rule.methods and not rule.arguments and not NOT_A_PAGE.search(rule.rule)
        if is_page and rule.rule not in paths and rule.rule != "/login":
            paths.append(rule.rule)
    return paths
