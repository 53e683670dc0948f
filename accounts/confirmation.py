"""Proof that a grave request comes from the member themselves: for an account
without a password (made with a passkey or a code), a short code emailed to
them, kept hashed in their session for a quarter of an hour.

Wrong answers are counted per member in the shared cache, passwords and codes
alike, so that a borrowed session cannot guess its way through.
"""

import secrets

from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

SESSION_KEY = "kindred_confirmation_code"
CODE_MINUTES = 15
MAX_TRIES = 5  # wrong answers per member in CODE_MINUTES


def _digest(code):
    return salted_hmac("kindred.confirmation", code.strip()).hexdigest()


def new_code(session):
    """A fresh six-digit code, remembered (hashed) in `session`."""
    code = f"{secrets.randbelow(10**6):06d}"
    expires = timezone.now() + timezone.timedelta(minutes=CODE_MINUTES)
    session[SESSION_KEY] = {"digest": _digest(code), "expires": expires.timestamp()}
    return code


def has_code(session):
    kept = session.get(SESSION_KEY)
    return bool(kept) and kept["expires"] > timezone.now().timestamp()


def check_code(session, code):
    """Whether `code` is the one sent, still in time. A right code is used up."""
    if not has_code(session):
        return False
    if not constant_time_compare(session[SESSION_KEY]["digest"], _digest(code)):
        return False
    del session[SESSION_KEY]
    return True


def _tries_key(member):
    return f"confirmation:tries:{member.pk}"


def too_many_tries(member):
    return cache.get(_tries_key(member), 0) >= MAX_TRIES


def count_wrong_try(member):
    key = _tries_key(member)
    cache.add(key, 0, CODE_MINUTES * 60)
    cache.incr(key)
