"""``retweetring promo``: fit, show and reset the promotional model a database uses."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from retweetring.cli.options import count_option, format_option, rules_from, rules_option, state_of
from retweetring.reports.formats import to_json_line

TOP_FEATURES = 15


@click.group()
def promo() -> None:
    """The promotional model: fit it on your own labels, show it, go back to the shipped one.

    Every support number rests on one decision per original tweet: is it promotional? The
    shipped model was fitted on real small-business tweets; 'promo fit' teaches it your
    community's own language from the tweets you marked with 'tweets mark-promo',
    'tweets mark-personal' or 'tweets review'.
    """


def _quality_line(label: str, q: Any) -> str:
    return (
        f"{label}: precision {q.precision:.2f}, recall {q.recall:.2f}, "
        f"false alarms {q.false_alarm_rate:.0%} ({q.examples} labels, {q.positives} promotional)"
    )


@promo.command("fit")
@rules_option
@format_option(("text", "json"))
@click.pass_context
def promo_fit(ctx: click.Context, rules: Path | None, fmt: str) -> None:
    """Fit a community model on the tweets marked in this database, and use it.

    Starts from the shipped model and moves its weights only as far as your labels justify
    (each label counts five times). Prints precision and recall on your labels before (the
    shipped model) and after (the community model, 5-fold cross-validated, seed 8: every
    label is judged by a model fitted without it). Needs at least 5 promotional and
    5 personal labels. Stored decisions keep the old model until 'tweets reclassify'.

    Example:

        retweetring promo fit
    """
    from retweetring.promo.community import fit_community, save_community

    state = state_of(ctx)
    engine = state.engine()
    with state.err.status("fitting the community model", spinner="dots"):
        fit = fit_community(engine, rules_from(rules))
    save_community(engine, fit)
    if fmt == "json":
        click.echo(
            to_json_line(
                {
                    "model": fit.model.version,
                    "labels": fit.labels,
                    "promotional_labels": fit.promotional_labels,
                    "before": fit.before.as_dict(),
                    "after": fit.after.as_dict(),
                }
            )
        )
        return
    state.say(_quality_line("before (shipped model)", fit.before))
    state.say(_quality_line("after (community model, cross-validated)", fit.after))
    state.say(
        f"now using {fit.model.version}; run 'retweetring tweets reclassify' to apply it "
        "to the stored tweets"
    )


@promo.command("show")
@count_option("--top", TOP_FEATURES, "How many of the strongest features of each sign.")
@format_option(("text", "json"))
@click.pass_context
def promo_show(ctx: click.Context, top: int, fmt: str) -> None:
    """Show the model in use: version, threshold, its strongest features and its quality.

    Example:

        retweetring promo show --top 10
    """
    from retweetring.promo.classifier import active_model
    from retweetring.promo.features import extractor_for
    from retweetring.promo.model import shipped_model
    from retweetring.promo.rules import DEFAULT_RULES

    state = state_of(ctx)
    model = active_model(state.engine())
    source = "community" if model is not None else "shipped"
    model = model or shipped_model()
    labels = extractor_for(DEFAULT_RULES).labels
    ranked = sorted(model.weights.items(), key=lambda kv: (-kv[1], kv[0]))
    strongest = {
        "promotional": [_feature(f, w, labels) for f, w in ranked[:top] if w > 0],
        "personal": [_feature(f, w, labels) for f, w in reversed(ranked[-top:]) if w < 0],
    }
    if fmt == "json":
        click.echo(
            to_json_line(
                {
                    "model": model.version,
                    "source": source,
                    "threshold": model.threshold,
                    "bias": model.bias,
                    "weights": len(model.weights),
                    "strongest": strongest,
                    "info": model.info,
                }
            )
        )
        return
    state.say(
        f"{model.version} ({source}), threshold {model.threshold}, "
        f"{len(model.weights)} weights, bias {model.bias:+.2f}"
    )
    for side, rows in strongest.items():
        state.say(f"strongest {side} features:")
        for row in rows:
            state.say(f"  {row['weight']:+6.2f}  {row['feature']}")
    for key, value in (model.info.get("quality") or {}).items():
        state.say(f"{key}: {value}")


def _feature(feature: str, weight: float, labels: dict[str, str]) -> dict[str, Any]:
    """A feature as shown: words quoted, cues by their label."""
    shown = f'"{feature[2:]}"' if feature.startswith("w:") else labels.get(feature, feature)
    return {"feature": shown, "name": feature, "weight": weight}


@promo.command("reset")
@click.pass_context
def promo_reset(ctx: click.Context) -> None:
    """Go back to the shipped model (community models stay stored; 'promo fit' refits).

    Example:

        retweetring promo reset
    """
    from retweetring.promo.community import reset_community
    from retweetring.promo.model import shipped_model

    state = state_of(ctx)
    changed = reset_community(state.engine())
    version = shipped_model().version
    message = (
        f"now using the shipped model {version}"
        if changed
        else (f"already using the shipped model {version}")
    )
    state.say(message)
    if changed:
        state.say("run 'retweetring tweets reclassify' to apply it to the stored tweets")


def _engine_if_possible(db: str | None) -> Any:
    """An engine for ``db`` without creating or migrating anything; None if it cannot be made."""
    from retweetring.errors import DatabaseError
    from retweetring.store.session import create_db_engine

    try:
        return create_db_engine(db)
    except DatabaseError:
        return None


@click.command()
@click.argument("texts", nargs=-1)
@rules_option
@click.pass_context
def classify(ctx: click.Context, texts: tuple[str, ...], rules: Path | None) -> None:
    """Say whether texts are promotional, with the reasons, as JSON lines.

    Reads the texts given as arguments, or one per line from standard input. Uses the
    database's community model when the database exists (see 'promo fit'), else the
    shipped model; each reason names a feature and its weight in log-odds.

    Example:

        retweetring classify "20% off all bread this weekend - order online!"
    """
    from retweetring.promo import load_classifier, shipped_classifier
    from retweetring.store.session import sqlite_file

    state = state_of(ctx)
    promo_rules = rules_from(rules)
    classifier = shipped_classifier(promo_rules)
    probe = _engine_if_possible(state.db)
    if probe is not None:
        file = sqlite_file(probe)
        if file is not None and file.exists():
            classifier = load_classifier(state.engine(), promo_rules)
        probe.dispose()
    source = texts or (line.rstrip("\n") for line in sys.stdin)
    for text in source:
        if not text.strip():
            continue
        result = classifier.classify(text)
        click.echo(
            to_json_line(
                {
                    "text": text,
                    "promotional": result.promotional,
                    "score": result.score,
                    "reasons": list(result.reasons),
                }
            )
        )


COMMANDS = (promo, classify)
