"""bce-video: the command that makes the film from your data, language and theme."""
