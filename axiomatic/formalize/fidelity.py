"""Does a well-typed candidate say what the text says? Back-translation by the model (it does not see the
original), then a YES/NO judgement by the model comparing the original with the Lean and its reading, plus a
cheap lexical overlap between the original and the reading that is recorded (and breaks ties), never decisive.
"""

from __future__ import annotations

import re
from typing import Callable, Sequence

from .candidates import Candidate
from .prompts import back_translation_messages, judge_messages, numbered, verdict

STOP = frozenset("""a an and are as at be by for from if in is it its of on or that the then to with which who whose
all any every each some there this these those such holds hold than then so do does any when whenever""".split())
NUMBER_WORDS = {"zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
                "seven": "7", "eight": "8", "nine": "9", "ten": "10", "twice": "2", "double": "2", "square": "sq",
                "squared": "sq", "naturals": "natural", "integers": "integer", "nat": "natural", "int": "integer"}
LOW_OVERLAP = 0.25


def _stem(word: str) -> str:
    word = NUMBER_WORDS.get(word, word)
    for suffix in ("ing", "ies", "es", "ed", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def content_words(text: str) -> set[str]:
    return {_stem(w) for w in re.findall(r"[a-z]+|\d+", (text or "").lower()) if w not in STOP}


def lexical_overlap(original: str, reading: str) -> float:
    """Share of the original's content words (crudely stemmed) that the reading repeats, in [0, 1]."""
    mine = content_words(original)
    if not mine:
        return 0.0
    return len(mine & content_words(reading)) / len(mine)


def judge_fidelity(text: str, cands: Sequence[Candidate], ask: Callable[[list[dict]], str | None],
                   context: str = "") -> None:
    """Fill `back_translation`, `faithful`, `judgement`, `lexical` and reasons of well-typed candidates.

    `ask(messages)` returns the model's reply text, or None when the budget forbids another call.
    """
    todo = [c for c in cands if c.elaborates]
    if not todo:
        return
    reply = ask(back_translation_messages([c.statement for c in todo], context))
    if reply is None:
        for c in todo:
            c.reasons.append("not judged: the LLM budget ran out before the back-translation")
        return
    readings = numbered(reply, len(todo))
    for k, c in enumerate(todo, 1):
        c.back_translation = readings.get(k, "")
        if not c.back_translation:
            c.reasons.append("the model gave no back-translation for this candidate")
        c.lexical = lexical_overlap(text, c.back_translation)
    reply = ask(judge_messages(text, [(c.statement, c.back_translation) for c in todo]))
    if reply is None:
        for c in todo:
            c.reasons.append("not judged: the LLM budget ran out before the fidelity judgement")
        return
    answers = numbered(reply, len(todo))
    for k, c in enumerate(todo, 1):
        said, why = verdict(answers.get(k, ""))
        c.judgement = answers.get(k, "")
        if said is None:
            c.faithful = False
            c.reasons.append("no clear YES/NO from the fidelity judge: counted as not faithful")
            continue
        c.faithful = said
        c.reasons.append(("judged faithful" if said else "judged NOT faithful") + (f": {why}" if why else ""))
        if said and c.lexical < LOW_OVERLAP:
            c.reasons.append(f"the back-translation shares few words with the original "
                             f"(overlap {c.lexical:.2f}): worth a second look")
