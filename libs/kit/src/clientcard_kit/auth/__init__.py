"""Who is calling: JWT verification, the principal it yields and the role rules."""

from clientcard_kit.auth.principal import Principal, Role
from clientcard_kit.auth.tokens import AuthError, TokenVerifier, issue_dev_token

__all__ = ["AuthError", "Principal", "Role", "TokenVerifier", "issue_dev_token"]
