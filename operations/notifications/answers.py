"""What a text received says, when it says one of the few things the
system acts on by itself. Pure: no database, tested on its own.

People answer a reminder the way they text a friend: "yes", "Y", "Yes
please!", " no. ", "NO THANKS". The words of STOP and START are the ones
UK and US carriers honour (STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT;
START, UNSTOP). Anything longer or different is a message for a person to
read, so it goes to the coordinators' inbox: "yes but can we make it 11"
is not a YES."""

from __future__ import annotations

import enum
import re


class Answer(enum.StrEnum):
    YES = "yes"
    NO = "no"
    STOP = "stop"
    START = "start"


STOP_WORDS = frozenset({"stop", "stopall", "unsubscribe", "cancel", "end", "quit"})
START_WORDS = frozenset({"start", "unstop"})
YES_WORDS = frozenset({"yes", "y", "yes please", "yes thanks", "yes thank you", "yeah", "yep", "ok yes"})
NO_WORDS = frozenset({"no", "n", "no thanks", "no thank you", "no sorry", "nope"})

# Punctuation, emoji and other symbols people add ("Yes!", "no.", "YES 👍").
_NOT_WORDS = re.compile(r"[^\w\s]+")
_SPACES = re.compile(r"\s+")


def words_of(body: str) -> str:
    """The text folded to compare: lower case, punctuation dropped, one space between words."""
    return _SPACES.sub(" ", _NOT_WORDS.sub(" ", (body or "").casefold())).strip()


def answer_of(body: str) -> Answer | None:
    """The answer the text gives, or None when it is a message for a person."""
    words = words_of(body)
    if words in STOP_WORDS:
        return Answer.STOP
    if words in START_WORDS:
        return Answer.START
    if words in YES_WORDS:
        return Answer.YES
    if words in NO_WORDS:
        return Answer.NO
    return None
