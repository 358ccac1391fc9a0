"""Sign-up, sign-in and token checks compatible with Better Auth (DESIGN §4)."""
