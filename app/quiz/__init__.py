"""Quiz builder for trainers: questions generated from the article text, with answer keys
that cite the article, exported in the formats training platforms import.

    from app.quiz import build_quiz, export
    quiz = build_quiz(loaded_index, doc_ids=["jingbanfa-2016-27"], n=20, seed=42)
    data = export(quiz, "xlsx")          # bytes; quiz.note says if fewer could be made
"""

from app.quiz.checks import question_problems, quiz_problems
from app.quiz.export import CARRIED, EXTENSIONS, FORMATS, export, parse
from app.quiz.generate import (QUESTION_TYPES, TYPE_NAMES, Question, Quiz, QuizError, Source,
                               build_quiz, parse_types)

__all__ = ["CARRIED", "EXTENSIONS", "FORMATS", "QUESTION_TYPES", "TYPE_NAMES",
           "Question", "Quiz", "QuizError", "Source", "build_quiz", "export", "parse",
           "parse_types", "question_problems", "quiz_problems"]
