"""The ``roomplan`` command. Thin: it reads arguments, calls the public API and prints.

Exit codes: 0 done, 2 bad input (every problem printed, one per line), 1 an error the
user cannot fix from here.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from roomplan.i18n import LANGS, default_lang, t
from roomplan.plan import PlanError, load_plan

EXIT_OK, EXIT_FAIL, EXIT_INPUT = 0, 1, 2


class InputError(Exception):
    """Bad command-line input, said in the user's words."""


def _mapping(text: str | None, option: str) -> dict[str, str] | None:
    """ "rum-omrids=room,tekst=label" -> {"rum-omrids": "room", "tekst": "label"}."""
    if not text:
        return None
    out = {}
    for item in text.split(","):
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise InputError(t("cli.bad_mapping", None, option=option, item=item))
        out[key.strip()] = value.strip()
    return out


def _load(args: argparse.Namespace):
    options = {}
    if args.dxf_scale is not None:
        options["scale"] = args.dxf_scale
    if args.layer_map:
        options["layer_map"] = _mapping(args.layer_map, "--layer-map")
    if args.kind_map:
        options["kinds"] = _mapping(args.kind_map, "--kind-map")
    return load_plan(args.plan, args.format, **options)


def summary_line(plan, lang: str | None = None) -> str:
    """The one-line description ``roomplan validate`` prints."""
    s = plan.summary()
    kinds = ", ".join(
        f"{n} {t('kinds.' + k if n != 1 else 'kind.' + k, lang)}"
        for k, n in s["kinds"].items()
        if n
    )
    return t(
        "cli.valid",
        lang,
        name=plan.name,
        rooms=s["rooms"],
        kinds=kinds,
        windowless=s["interview_rooms_windowless"],
        offices=", ".join(str(n) for n in s["office_sizes"]) or "-",
        desks=s["desks"],
        staff=s["staff"],
        interviewing=s["interviewing"],
    )


def cmd_validate(args: argparse.Namespace) -> int:
    plan = _load(args)
    print(summary_line(plan, args.lang))
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from roomplan.drawing import draw_plan

    out = Path(args.out)
    if out.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise InputError(t("cli.bad_figure_suffix", args.lang, name=out.name))
    plan = _load(args)
    fig = draw_plan(plan, lang=args.lang, title=plan.name)
    fig.savefig(out, dpi=150)
    print(t("cli.wrote", args.lang, path=str(out)))
    return EXIT_OK


def build_parser(lang: str | None = None) -> argparse.ArgumentParser:
    lang = lang or default_lang()
    parser = argparse.ArgumentParser(prog="roomplan", description=t("cli.description", lang))
    parser.add_argument("--lang", choices=LANGS, default=lang, help=t("cli.help.lang", lang))
    sub = parser.add_subparsers(dest="command", required=True)

    def plan_command(name: str, func):
        p = sub.add_parser(name, help=t(f"cli.help.{name}", lang))
        p.add_argument("plan", help=t("cli.help.plan", lang))
        p.add_argument("--format", choices=("json", "dxf"), help=t("cli.help.format", lang))
        p.add_argument("--dxf-scale", type=float, help=t("cli.help.dxf_scale", lang))
        p.add_argument("--layer-map", help=t("cli.help.layer_map", lang))
        p.add_argument("--kind-map", help=t("cli.help.kind_map", lang))
        p.set_defaults(func=func)
        return p

    plan_command("validate", cmd_validate)
    show = plan_command("show", cmd_show)
    show.add_argument("--out", required=True, help=t("cli.help.out", lang))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except PlanError as exc:
        for line in exc.lines(args.lang):
            print(line, file=sys.stderr)
        return EXIT_INPUT
    except InputError as exc:
        print(exc, file=sys.stderr)
        return EXIT_INPUT
    except OSError as exc:
        print(
            t("cli.os_error", args.lang, error=exc.strerror or str(exc), path=exc.filename or ""),
            file=sys.stderr,
        )
        return EXIT_FAIL
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
