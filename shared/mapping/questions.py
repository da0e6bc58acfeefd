"""Finding a question: by its item id (stable), else by its title, exactly then loosely — the one
rule for answers at run time and for a form's items when a mapping is checked against the form."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

from shared.mapping.model import AnswerRef
from shared.mapping.text import fold

T = TypeVar("T")


class QuestionIndex(Generic[T]):
    """Items (answers, or a form's items) looked up the way a mapping names questions."""

    def __init__(
        self, items: Iterable[T], *, item_id: Callable[[T], int | None], title: Callable[[T], str]
    ) -> None:
        self._items = list(items)
        self._title = title
        self._by_id: dict[int, T] = {}
        self._by_title: dict[str, T] = {}
        for item in self._items:
            number = item_id(item)
            if number is not None:
                self._by_id.setdefault(number, item)
            self._by_title.setdefault(title(item), item)
        self._by_folded: dict[str, T] | None = None  # built on the first loose title match

    def find(self, ref: AnswerRef) -> T | None:
        """The item with the reference's id, else its exact title, else its title folded."""
        if ref.id is not None and ref.id in self._by_id:
            return self._by_id[ref.id]
        if not ref.title:
            return None
        exact = self._by_title.get(ref.title)
        if exact is not None:
            return exact
        if self._by_folded is None:
            self._by_folded = {}
            for item in self._items:
                self._by_folded.setdefault(fold(self._title(item)), item)
        return self._by_folded.get(fold(ref.title))
