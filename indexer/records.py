"""Records shared by the indexer and the app: documents and their articles."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


def article_place(article_id: str) -> str:
    """How a citation names an article: 第4条 (Arabic, as staff write), 总纲 and 序言 as they are."""
    return f"第{article_id}条" if article_id[:1].isdigit() else article_id


def short_ref(short_title: str, article_id: str) -> str:
    """《实施意见》第4条, 《党章》总纲."""
    return f"《{short_title}》{article_place(article_id)}"


@dataclass(frozen=True)
class Article:
    """One citable unit: a 条, an 意见 item, 党章's 总纲 or a preamble.

    `article_id` is the Arabic id used in citations ("4", "17-1", "总纲", "序言");
    `text` is the body without the printed label and item title, one paragraph (款/项) a line.
    """

    doc_id: str
    article_id: str
    label: str
    heading: tuple[str, ...]
    item_title: str
    text: str
    span: tuple[int, int]
    line: int

    @property
    def key(self) -> tuple[str, str]:
        return (self.doc_id, self.article_id)

    @property
    def heading_path(self) -> str:
        return " / ".join(self.heading)

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.text.split("\n") if p]

    @property
    def search_text(self) -> str:
        """Item title, headings and body: what lexical checks look in."""
        return f"{self.item_title}{' '.join(self.heading)}{self.text}"

    @property
    def display_text(self) -> str:
        """The article as printed: label, item title, then the body."""
        title = f"{self.item_title}。" if self.item_title else ""
        sep = "" if self.label.endswith(".") else " "
        return f"{self.label}{sep}{title}{self.text}"

    def to_dict(self) -> dict:
        data = asdict(self)
        data["heading"] = list(self.heading)
        data["span"] = list(self.span)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Article":
        return cls(**{**data, "heading": tuple(data["heading"]), "span": tuple(data["span"])})


@dataclass(frozen=True)
class Document:
    """A corpus document: its metadata header and its articles in reading order."""

    doc_id: str
    title: str
    short_title: str
    doc_number: str = ""
    issuer: str = ""
    date: str = ""
    status: str = "current"
    kind: str = ""
    supersedes: str = ""
    superseded_by: str = ""
    source: str = ""
    aliases: tuple[str, ...] = ()
    # the kinds of organisation a regulation applies to alone (社会团体, 协会…): a question
    # about one kind is not answered from the regulation of another
    governs: tuple[str, ...] = ()
    path: str = ""
    sha256: str = ""
    articles: tuple[Article, ...] = field(default=(), repr=False)

    @property
    def superseded(self) -> bool:
        return self.status == "superseded"

    def article(self, article_id: str) -> Article | None:
        return next((a for a in self.articles if a.article_id == article_id), None)

    def meta(self) -> dict:
        data = asdict(self)
        data.pop("articles")
        data["aliases"], data["governs"] = list(self.aliases), list(self.governs)
        return data
