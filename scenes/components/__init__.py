"""Reusable drawing parts, each built from a Lesson and a Style."""
