"""The antispam app's background work."""

from samizdat.core.background import background_task


@background_task(attempts=3)
def retrain() -> dict:
    """Rebuild the learned filter from every decision (queued after moderators' decisions)."""
    from samizdat.antispam import learning

    result = learning.train()
    return {"spam": result.spam, "ham": result.ham, "trained": result.trained}
