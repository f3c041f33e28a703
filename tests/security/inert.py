"""Is a page's HTML free of anything a hostile answer could have turned into live markup?"""

from __future__ import annotations

from bs4 import BeautifulSoup, Tag

URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "xlink:href")


def live_markup(html: str) -> list[str]:
    """What in this page could run script: inline/third-party scripts, on* handlers, javascript: URLs."""
    soup = BeautifulSoup(html, "html.parser")
    found: list[str] = []
    for tag in soup.find_all(True):
        assert isinstance(tag, Tag)
        if tag.name == "script" and not str(tag.get("src", "")).startswith("/assets/"):
            found.append(f"script: {str(tag)[:80]}")
        if tag.name in {"iframe", "object", "embed", "base"}:
            found.append(f"{tag.name}: {str(tag)[:80]}")
        for name, value in tag.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on"):
                found.append(f"{tag.name}[{name}]={text[:60]}")
            scheme = text.strip().lower()
            if name.lower() in URL_ATTRIBUTES and scheme.startswith(("javascript:", "data:text")):
                found.append(f"{tag.name}[{name}]={text[:60]}")
        if tag.name == "img" and tag.get("src") == "x":
            found.append("img src=x")
    return found


def shown_as_text(html: str, payload: str) -> bool:
    """True when the payload appears in the page's visible text exactly as typed (escaped, not run)."""
    text = BeautifulSoup(html, "html.parser").get_text()
    values = [
        str(v)
        for t in BeautifulSoup(html, "html.parser").find_all(["input", "textarea"])
        for v in ([t.get("value")] if t.name == "input" else [t.get_text()])
        if v
    ]
    return payload in text or payload in values
