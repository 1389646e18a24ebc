"""What a voice says for what the screen writes: each cue's spoken form.

The screen and the subtitles show a cue's written form; a voice reads its spoken form.
A cue may give its spoken form in the language file (``[<chapter>.spoken]``, same name as
the cue, same placeholders); the language's rules (``[speech]``) make the rest:

- numbers, as the language says them (Chinese numerals for ``zh``: 0.3329 is
  零点三三二九), negative numbers, percentages and powers of ten;
- words and symbols of formulas (the equals and minus signs, ``log``, sigma...), from
  its tables;
- Latin letters standing alone or in capitals (``x``, ``KL``), by their names in the
  language, where it has a table of them;
- a function applied to its argument (``p(y)``: "p of y" in English).

Class names are the user's: when the voice cannot say one (``spam`` in a Chinese film,
``垃圾`` in an English one), the cue says the class's role instead ("the positive class",
正类) and a warning names it. Anything else the voice cannot say is an error naming the
cue and the characters, before anything is synthesised: no word is ever dropped in
silence. No Manim here: ``bce-video script`` shows both forms.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from .words import Words, WordsError, cue_id

#: Which placeholders hold a class's name, and which class: a name the voice cannot say
#: falls back to that class's role.
CLASS_NAMES = ("positive", "negative")
# Private-use characters hold a class name's place while the rules read the rest of the
# cue (no rule touches them); the name, read on its own, replaces them afterwards.
_HOLDER = {"positive": "\ue000", "negative": "\ue001"}

# A number as the film writes it: an optional minus sign right before it (U+2212 or "-",
# not after a letter or digit: "1 - p" is a subtraction), digits with an optional
# fraction, an optional power of ten ("1e+06", as Python's "g" format writes it), an
# optional percent sign.
_NUMBER = re.compile(
    r"(?<![\w.])(?P<sign>[\u2212-](?=\d))?(?P<digits>\d+(?:\.\d+)?)"
    r"(?:e(?P<exponent>[+-]?\d+))?(?P<percent>%)?"
)
# A minus sign right before a word or a bracket, not after one: negation ("-log p").
_NEGATION = re.compile(r"(?<![\w)])[\u2212-](?=[A-Za-z\u03c3(])")
_LATIN_RUN = re.compile(r"[A-Za-z]+")
# A function applied to an argument without brackets inside: p(y), log(1 - p), sigma(z).
_APPLIED = re.compile(r"(?<![A-Za-z])([A-Za-z]+|\u03c3)\(([^()]*)\)")


class SpokenError(WordsError):
    """A cue the voice cannot say: names the cue, the characters and where to fix it."""


CannotSay = Callable[[str], str]  # text -> the characters the voice cannot say


@dataclass(frozen=True)
class SpeechRules:
    """A language's ``[speech]`` table: how its narrator says what the screen writes."""

    numbers: str  # "as_written" (the voice reads digits) or "chinese"
    negative: str  # said before a negative number
    power_of_ten: str  # "{mantissa} times ten to the {exponent}"
    applied: str  # said between a function and its argument: "of" ("": nothing)
    roles: Mapping[str, str]  # "positive"/"negative" -> how the class's role is said
    words: Mapping[str, str] = field(default_factory=dict)  # whole Latin words
    symbols: Mapping[str, str] = field(default_factory=dict)
    letters: Mapping[str, str] = field(default_factory=dict)  # lower-case letter -> name
    spaced: bool = True  # words are separated by spaces (not in Chinese)

    @classmethod
    def of(cls, words: Words) -> SpeechRules:
        table = words.table.get("speech")
        if not isinstance(table, dict):
            raise WordsError(f"{words.path} has no [speech] table (how its narrator reads)")
        try:
            rules = cls(
                numbers=table["numbers"],
                negative=table["negative"],
                power_of_ten=table["power_of_ten"],
                applied=table["applied"],
                roles={"positive": table["positive_role"], "negative": table["negative_role"]},
                words=dict(table.get("words", {})),
                symbols=dict(table.get("symbols", {})),
                letters={k.lower(): v for k, v in table.get("letters", {}).items()},
                spaced=bool(table.get("spaced", True)),
            )
        except KeyError as missing:
            raise WordsError(f"{words.path}: [speech] has no {missing.args[0]}") from None
        if rules.numbers not in NUMBER_READERS:
            raise WordsError(
                f"{words.path}: [speech] numbers is {rules.numbers!r}, expected one of "
                f"{', '.join(NUMBER_READERS)}"
            )
        return rules

    def read(self, text: str) -> str:
        """``text`` as the narrator says it (class names already out of the way)."""
        text = _NUMBER.sub(self._number, text)
        text = _NEGATION.sub(f" {self.negative} ", text)
        text = _APPLIED.sub(lambda m: f"{m[1]} {self.applied} {m[2]}", text)
        for word, said in self.words.items():
            text = re.sub(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", f" {said} ", text)
        for symbol, said in self.symbols.items():
            text = text.replace(symbol, f" {said} ")
        if self.letters:
            text = _LATIN_RUN.sub(self._letters, text)
        return self.tidy(text)

    def _number(self, match: re.Match) -> str:
        digits = match["digits"]
        said = NUMBER_READERS[self.numbers](digits, percent=bool(match["percent"]))
        if match["exponent"]:
            exponent = str(int(match["exponent"]))  # "+06" -> "6"
            power = NUMBER_READERS[self.numbers](exponent.lstrip("-"), percent=False)
            if exponent.startswith("-"):
                power = f"{self.negative} {power}"
            said = self.power_of_ten.format(mantissa=said, exponent=power)
            if match["percent"]:  # "1e+06%": the percent after the power
                said += " " + self.symbols.get("%", "%")
        elif match["percent"] and self.numbers == "as_written":
            said += " " + self.symbols.get("%", "%")
        if match["sign"]:
            said = f"{self.negative} {said}"
        return f" {said} "

    def _letters(self, match: re.Match) -> str:
        """A letter alone, or capitals (an abbreviation: KL), said letter by letter; a
        word is left as it is (the voice's check then names it, if it cannot say it)."""
        run = match.group(0)
        if len(run) == 1 or (run.isupper() and len(run) <= 4):
            return " " + " ".join(self.letters.get(c.lower(), c) for c in run) + " "
        return run

    def tidy(self, text: str) -> str:
        """The spaces the rules left, as the language writes them."""
        text = re.sub(r"\s+", " ", text).strip()
        if not self.spaced:  # Chinese: no spaces, except between two Latin words
            text = re.sub(r"(?<![A-Za-z0-9]) | (?![A-Za-z0-9])", "", text)
        else:  # no space before punctuation, none inside brackets
            text = re.sub(r" ([,.;:!?)])", r"\1", text)
            text = re.sub(r"\( ", "(", text)
        return text


def _as_written(digits: str, percent: bool) -> str:
    """The voice reads digits itself (Piper and eSpeak NG read "0.3329" as "zero point
    three three two nine")."""
    return digits


def _chinese(digits: str, percent: bool) -> str:
    """Chinese numerals, as a Chinese narrator reads them: 零点三三二九, 十, 百分之五十.
    cn2an (MIT), a library made for this; its decimal reading keeps every digit."""
    import cn2an  # imported when a Chinese cue is read: it takes a moment to load

    said = cn2an.an2cn(digits, "low")
    return f"百分之{said}" if percent else said


NUMBER_READERS: dict[str, Callable[..., str]] = {
    "as_written": _as_written,
    "chinese": _chinese,
}


@dataclass
class Speaker:
    """Makes the spoken form of every cue of one film: the language's rules, the numbers
    of its Lesson, and (when a voice will speak) what that voice cannot say."""

    words: Words
    numbers: Mapping[str, str]  # scenes.narration.format_numbers
    cannot_say: CannotSay | None = None  # None: no voice (a human narrator says anything)
    voice: str = ""  # the voice's name, for messages
    fallbacks: dict[str, list[str]] = field(default_factory=dict)  # class -> cue ids

    def __post_init__(self) -> None:
        self.rules = SpeechRules.of(self.words)
        self.names = {kind: self._name(kind) for kind in CLASS_NAMES}

    def _name(self, kind: str) -> str:
        """How a class's name is said: by the rules, else by its role."""
        said = self.rules.read(self.numbers[kind])
        if self.cannot_say is not None and self.cannot_say(said):
            return self.rules.roles[kind]
        return said

    def _holders(self) -> dict[str, str]:
        """The numbers, with each class name (and the worst point's) held by a marker."""
        values = dict(self.numbers)
        for kind in CLASS_NAMES:
            values[kind] = _HOLDER[kind]
        worst = self.numbers.get("worst_label")
        if worst is not None:
            kind = "positive" if worst == self.numbers["positive"] else "negative"
            values["worst_label"] = _HOLDER[kind]
        return values

    def template(self, chapter: str, key: str, cue: bool = True) -> str:
        """The spoken template of a cue (or another key of the chapter), else its written
        one."""
        given = self.words.spoken_template(chapter, key)
        if given is not None:
            return given
        table = self.words.table[chapter]
        return table["cues"][key] if cue else table[key]

    def cue(self, chapter: str, name: str) -> str:
        """The cue ``chapter.name`` as the voice says it. Raises SpokenError."""
        values = self._holders()
        if "free_fit" in values:  # a sentence of the training chapter, chosen by the data
            values["free_fit"] = self._format("training", self.numbers["free_case"], values, False)
        said = self.rules.read(self._format(chapter, name, values))
        for kind in CLASS_NAMES:
            if _HOLDER[kind] in said:
                said = said.replace(_HOLDER[kind], self.names[kind])
                if self.names[kind] == self.rules.roles[kind]:
                    self.fallbacks.setdefault(kind, []).append(cue_id(chapter, name))
        if not self.rules.spaced:
            said = self.rules.tidy(said)
        return said

    def _format(self, chapter: str, key: str, values: Mapping[str, str], cue: bool = True):
        template = self.template(chapter, key, cue)
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError) as error:
            where = cue_id(chapter, key)
            raise WordsError(
                f"{self.words.path}: the spoken form of {where!r} cannot be filled in "
                f"({type(error).__name__}: {error}); its placeholders must be the cue's"
            ) from None

    def unsayable(self, spoken: Mapping[str, str]) -> list[str]:
        """One line per cue whose spoken form the voice cannot say."""
        if self.cannot_say is None:
            return []
        problems = []
        for cue, text in spoken.items():
            missing = self.cannot_say(text)
            if missing:
                chapter = cue.split(".", 1)[0]
                shown = ", ".join(repr(c) for c in missing)
                problems.append(
                    f"cue {cue}: the {self.voice} voice cannot say {shown} in {text!r} "
                    f"(give the cue a spoken form under [{chapter}.spoken] in "
                    f"{self.words.path.name}, or a rule in its [speech] table)"
                )
        return problems

    def warnings(self) -> list[str]:
        """What the fallbacks to a class's role changed, one line per class."""
        lines = []
        for kind, cues in self.fallbacks.items():
            name = self.numbers[kind]
            missing = self.cannot_say(self.rules.read(name)) if self.cannot_say else ""
            lines.append(
                f"the {self.voice} voice cannot say the {kind} class's name {name!r} "
                f"({', '.join(repr(c) for c in missing)}): {len(cues)} cue(s) say "
                f"{self.rules.roles[kind]!r} instead ({', '.join(cues)})"
            )
        return lines
