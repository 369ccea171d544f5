"""App: retrieve -> answer -> present (cli, web, quiz)."""
