//! The glossary: Flink terms explained in a sentence, with the lesson that shows each.

messages! {}
