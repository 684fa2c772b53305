"""A Jinja2 loader over the package's templates folder via importlib.resources (works when installed)."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources

from jinja2 import BaseLoader, Environment, TemplateNotFound


class ResourceLoader(BaseLoader):
    """Load 'nl/afloop/social.j2' from norm_statements/templates/ inside the installed package."""

    def __init__(self, package: str = "norm_statements", folder: str = "templates") -> None:
        self.package = package
        self.folder = folder

    def get_source(self, environment: Environment, template: str) -> tuple[str, str | None, Callable[[], bool]]:
        parts = template.split("/")
        if any(part in ("", ".", "..") for part in parts):
            raise TemplateNotFound(template)
        resource = resources.files(self.package).joinpath(self.folder, *parts)
        if not resource.is_file():
            raise TemplateNotFound(template)
        return resource.read_text(encoding="utf-8"), None, lambda: True

    def list_templates(self) -> list[str]:
        root = resources.files(self.package).joinpath(self.folder)
        found: list[str] = []
        stack = [(root, "")]
        while stack:
            node, prefix = stack.pop()
            for child in node.iterdir():
                name = f"{prefix}{child.name}"
                if child.is_dir():
                    stack.append((child, f"{name}/"))
                elif child.name.endswith(".j2"):
                    found.append(name)
        return sorted(found)
