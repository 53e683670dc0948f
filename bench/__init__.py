"""`make bench`: figures for the thread page and the moderation queue.

Runs against a throwaway database (like the tests), builds its data
deterministically, prints a table and writes var/bench/*.json.
"""
