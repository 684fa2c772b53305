"""Dutch plurals in what people read."""

from bot.text import plural


def test_one_is_singular_everything_else_plural() -> None:
    assert [plural(n, "bericht", "berichten") for n in (0, 1, 2)] == ["0 berichten", "1 bericht", "2 berichten"]
    assert plural(1, "bron", "bronnen") == "1 bron"
