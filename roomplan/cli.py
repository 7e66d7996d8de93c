"""The ``roomplan`` command. Thin: it reads arguments, calls the public API and prints.

Exit codes: 0 done, 2 bad input (every problem printed, one per line), 1 an error the
user cannot fix from here.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from pathlib import Path

from roomplan.acoustics import EFFORTS
from roomplan.i18n import LANGS, default_lang, fmt_num, t
from roomplan.plan import PlanError, load_plan

EXIT_OK, EXIT_FAIL, EXIT_INPUT = 0, 1, 2


class InputError(Exception):
    """Bad command-line input, said in the user's words."""


def _mapping(text: str | None, option: str) -> dict[str, str] | None:
    """ "rum-omrids=room,tekst=label" -> {"rum-omrids": "room", "tekst": "label"}."""
    from roomplan.plan.dxf import parse_mapping

    try:
        return parse_mapping(text) or None
    except ValueError as exc:
        raise InputError(t("cli.bad_mapping", None, option=option, item=str(exc))) from None


def _load(args: argparse.Namespace):
    return _import(args)[0]


def _import(args: argparse.Namespace):
    """The plan of ``args.plan`` and what its reader assumed."""
    from roomplan.plan.files import import_plan

    options = {}
    if args.dxf_scale is not None:
        options["scale"] = args.dxf_scale
    if args.layer_map:
        options["layer_map"] = _mapping(args.layer_map, "--layer-map")
    if args.kind_map:
        options["kinds"] = _mapping(args.kind_map, "--kind-map")
    return import_plan(args.plan, args.format, **options)


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
        rooms=t("count.rooms", lang, n=s["rooms"]),
        kinds=kinds,
        windowless=t("count.interview_rooms", lang, n=s["interview_rooms_windowless"]),
        offices=", ".join(str(n) for n in s["office_sizes"]) or "-",
        desks=t("count.desks", lang, n=s["desks"]),
        staff=t("count.staff", lang, n=s["staff"]),
        interviewing=t("count.interviewing", lang, n=s["interviewing"]),
    )


def cmd_validate(args: argparse.Namespace) -> int:
    plan, notices = _import(args)
    print(summary_line(plan, args.lang))
    for notice in notices:
        print(f"- {notice.message(args.lang)}")
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from roomplan.drawing import DrawingOptions, draw_plan, save_figure

    out = Path(args.out)
    if out.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise InputError(t("cli.bad_figure_suffix", args.lang, name=out.name))
    plan = _load(args)
    views = None
    if plan.devices:
        from roomplan.devices import audit_devices

        views = audit_devices(plan).views
    fig = draw_plan(plan, options=DrawingOptions(lang=args.lang, title=plan.name, views=views))
    save_figure(fig, out, dpi=150)
    print(t("cli.wrote", args.lang, path=str(out)))
    return EXIT_OK


def _pairs_of(text: str | None, option: str) -> dict[str, float]:
    out = {}
    for key, value in (_mapping(text, option) or {}).items():
        try:
            out[key] = float(value.replace(",", "."))
        except ValueError:
            raise InputError(
                t("cli.bad_number", None, option=option, item=f"{key}={value}")
            ) from None
    return out


def cmd_privacy(args: argparse.Namespace) -> int:
    import json

    from roomplan.privacy import Criteria, assess_privacy
    from roomplan.privacy import text as words

    plan = _load(args)
    masking = _pairs_of(args.masking, "--masking")
    unknown = [r for r in masking if r not in {room.id for room in plan.rooms}]
    if unknown:
        raise InputError(
            t("cli.unknown_rooms", args.lang, option="--masking", rooms=", ".join(unknown))
        )
    try:
        criteria = Criteria(effort=args.effort, masking=masking)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    result = assess_privacy(plan, criteria)
    lang = args.lang
    if args.json:
        print(json.dumps(words.as_dict(result, lang), ensure_ascii=False, indent=1))
        return EXIT_OK
    print(
        t(
            "cli.privacy_head",
            lang,
            name=plan.name,
            effort=t(f"effort.{criteria.effort}", lang),
            snr=fmt_num(criteria.max_snr_uni32, 0, lang),
        )
    )
    for room in result.rooms:
        if room.status == "none" and not room.overhears:
            continue
        print()
        print(f"{words.room_name(plan, room.room)}: {words.room_text(result, room, lang)}")
        fix = words.fix_text(result, room.room, lang)
        if fix:
            print(f"  {fix}")
        for pid in room.positions:
            answer = result.position(pid)
            name = words.position_name(plan, pid, lang)
            print(f"  {name}: {words.condition_text(result, answer, lang)}")
            groups = (
                [(h, 1) for h in answer.hearings] if args.all else words.grouped(answer.hearings)
            )
            for h, n in groups:
                print(
                    f"    - {words.hearing_text(result, h, answer.room, lang, n - 1)}"
                    + (f" ({t('privacy.raised_only', lang)})" if h.raised_only else "")
                    + (f" [{words.role_word(h, lang)}]" if h.role in ("exempt", "exposure") else "")
                )
        for check in room.partitions:
            if not check.passes and room.positions:
                print(f"  {words.partition_text(plan, check, lang)}")
        if room.overhears:
            names = ", ".join(words.position_name(plan, p, lang) for p in room.overhears)
            print(f"  {t('cli.overhears', lang, positions=names)}")
    return EXIT_OK


def _spread(text: str) -> str | tuple[float, ...]:
    if text in ("even", "hours"):
        return text
    try:
        values = tuple(float(x.replace(",", ".")) for x in text.split(";" if ";" in text else ","))
    except ValueError:
        raise InputError(t("cli.bad_spread", None, value=text)) from None
    if len(values) != 5:
        raise InputError(t("cli.bad_spread", None, value=text))
    return values


def _capacity_question(args: argparse.Namespace, plan) -> tuple:
    """The week and options a capacity command asks about, from its flags."""
    from roomplan.capacity import Budget, CapacityOptions, Week
    from roomplan.capacity.week import parse_absences, parse_room_uses

    lang = args.lang
    if args.interviews < 0 or args.interviews % 1 or args.interviews > 10**6:
        raise ValueError(t("cli.bad_interviews", lang))
    if not 0 < args.work <= 10**5 or not 0 < args.time_limit <= 10**6:
        raise ValueError(t("cli.bad_work", lang))
    week = Week(
        move_minutes=args.move_minutes,
        windowless_hours=args.windowless_hours,
        move_in_breaks=args.move_in_lunch,
        absences=parse_absences(args.away or "", [s.id for s in plan.staff], lang),
        rooms_in_use=parse_room_uses(
            args.staff_room or "", [r.id for r in plan.rooms if r.kind == "staff"], lang
        ),
    )
    options = CapacityOptions(
        demand=int(args.interviews),
        spread=_spread(args.spread),
        budget=Budget(work=args.work, seconds=args.time_limit),
    )
    return week, options


def cmd_capacity(args: argparse.Namespace) -> int:
    import json

    from roomplan.capacity import plan_capacity
    from roomplan.capacity import text as words

    lang = args.lang
    plan = _load(args)
    try:
        week, options = _capacity_question(args, plan)
        result = plan_capacity(
            plan,
            week,
            options,
            progress=None
            if args.json
            else lambda f, m: print(
                t("cli.progress", lang, pct=fmt_num(100 * f, 0, lang)), file=sys.stderr
            ),
        )
        other = other_plan = None
        if args.compare:
            other_plan = load_plan(args.compare)
            other = plan_capacity(other_plan, week, options)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    if args.schedule_csv:
        Path(args.schedule_csv).write_text(result.schedule.to_csv(plan, lang), encoding="utf-8")
    if args.json:
        print(json.dumps(words.as_dict(result, plan, lang), ensure_ascii=False, indent=1))
        return EXIT_OK
    if other is not None and other_plan is not None:
        print(words.headline(result, plan.name, other, other_plan.name, lang))
        print()
    print(words.verdict(result, lang))
    print(words.bottleneck_text(result, plan, lang))
    print(words.cut_text(result.lower_cut, "lower", result.lower, result.demand, lang))
    print(words.cut_text(result.upper_cut, "upper", result.upper, result.demand, lang))
    print(words.memo_text(result, lang))
    print(
        t(
            "cli.capacity_days",
            lang,
            days=", ".join(
                f"{t('weekday.' + d, lang)} {n}"
                for d, n in zip(
                    ("mon", "tue", "wed", "thu", "fri"), result.schedule.per_day(), strict=True
                )
            ),
        )
    )
    for line in words.assumption_lines(result, plan, lang):
        print(line)
    rows = words.peak_rows(result, lang)
    if rows:
        keys = list(rows[0])
        print()
        print(" | ".join(keys))
        for row in rows:
            print(" | ".join(row[k] for k in keys))
    if args.schedule_csv:
        print(t("cli.wrote", lang, path=args.schedule_csv))
    return EXIT_OK


def _recommend_options(args: argparse.Namespace, capacity, targets: tuple[int, ...] = ()):
    """The :class:`roomplan.recommend.RecommendOptions` of the recommend command's flags."""
    from roomplan.recommend import RecommendOptions
    from roomplan.recommend.catalogue import read_catalogue

    lang = args.lang
    if any(n < 0 or n > 10**6 for n in targets):
        raise ValueError(t("cli.bad_interviews", lang))
    if args.budget is not None and not 0 <= args.budget < math.inf:
        raise ValueError(t("cli.bad_budget", lang))
    if args.processes is not None and not 1 <= args.processes <= 64:
        raise ValueError(t("cli.bad_processes", lang))
    if not 1 <= args.questions <= 10**5:
        raise ValueError(t("cli.bad_questions", lang))
    fields = {
        "targets": targets or None,
        "catalogue": read_catalogue(args.catalogue) if args.catalogue else None,
        "capacity": capacity,
        "budget_dkk": args.budget,
        "questions": args.questions,
    }
    if args.processes is not None:
        fields["processes"] = args.processes
    if args.scheduler:
        fields["scheduler"] = args.scheduler
    return RecommendOptions(**fields)


def _progress(args: argparse.Namespace):
    if args.json:
        return None
    return lambda f, m: print(
        t("cli.progress", args.lang, pct=fmt_num(100 * f, 0, args.lang)), file=sys.stderr
    )


def cmd_recommend(args: argparse.Namespace) -> int:
    import json

    from roomplan.recommend import CatalogueError, recommend
    from roomplan.recommend import text as words
    from roomplan.recommend.evaluate import default_processes

    if len(args.plan) > 1:
        return _cmd_portfolio(args)
    lang = args.lang
    demands = args.interviews or [237.0]
    if len(demands) > 1:
        raise InputError(t("cli.bad_site_interviews", lang, n=1, times=len(demands)))
    args = argparse.Namespace(**{**vars(args), "plan": args.plan[0], "interviews": demands[0]})
    plan = _load(args)
    try:
        week, capacity = _capacity_question(args, plan)
        options = _recommend_options(args, capacity, tuple(args.target or ()))
        answer = recommend(plan, week, options, progress=_progress(args))
    except CatalogueError as exc:
        raise InputError(exc.message(lang)) from None
    except ValueError as exc:
        raise InputError(str(exc)) from None
    swings = None
    if args.sensitivity:
        from roomplan.recommend.evaluate import Runner
        from roomplan.recommend.sensitivity import sensitivity

        with Runner(args.processes or default_processes(), args.scheduler) as runner:
            swings = sensitivity(plan, week, capacity, runner)
    if args.json:
        out = words.as_dict(answer, lang)
        if swings is not None:
            out["sensitivity"] = words.sensitivity_dict(*swings)
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return EXIT_OK
    for line in words.lines(answer, lang):
        print(line)
    if swings is not None:
        print()
        for line in words.sensitivity_lines(*swings, lang=lang):
            print(line)
    return EXIT_OK


def _cmd_portfolio(args: argparse.Namespace) -> int:
    """``roomplan recommend a.json b.json ...``: one budget over the sites."""
    import json

    from roomplan.recommend import CatalogueError
    from roomplan.recommend import text as words
    from roomplan.recommend.portfolio import portfolio

    lang = args.lang
    for flag, given in (
        ("--target", args.target),
        ("--away", args.away),
        ("--staff-room", args.staff_room),
        ("--sensitivity", args.sensitivity),
    ):
        if given:
            raise InputError(t("cli.one_plan_only", lang, flag=flag))
    demands = args.interviews or [237.0]
    if len(demands) not in (1, len(args.plan)):
        raise InputError(t("cli.bad_site_interviews", lang, n=len(args.plan), times=len(demands)))
    demands = demands * len(args.plan) if len(demands) == 1 else demands
    sites = []
    try:
        for path, demand in zip(args.plan, demands, strict=True):
            one = argparse.Namespace(**{**vars(args), "plan": path, "interviews": demand})
            plan = _load(one)
            week, capacity = _capacity_question(one, plan)
            sites.append((plan, week))
        options = _recommend_options(args, capacity)
        answer = portfolio(sites, options, [int(d) for d in demands], progress=_progress(args))
    except CatalogueError as exc:
        raise InputError(exc.message(lang)) from None
    except ValueError as exc:
        raise InputError(str(exc)) from None
    if args.json:
        print(json.dumps(words.portfolio_dict(answer, lang), ensure_ascii=False, indent=1))
        return EXIT_OK
    for line in words.portfolio_lines(answer, lang):
        print(line)
    return EXIT_OK


def cmd_devices(args: argparse.Namespace) -> int:
    import json

    from roomplan.devices import audit_devices

    plan = _load(args)
    found = audit_devices(plan)
    lang = args.lang
    if args.json:
        print(json.dumps(found.as_dict(lang), ensure_ascii=False, indent=1))
        return EXIT_OK
    if not found.findings:
        print(t("device.none", lang))
        return EXIT_OK
    print(t("device.summary", lang, n=len(found), devices=len(plan.devices)))
    for f in found:
        print(f"[{t(f'severity.{f.severity}', lang)}] {f.message(lang)}")
        print(f"    {t('col.law', lang)}: {f.law(lang)}")
        print(f"    {t('word.fix', lang)}: {f.fix(lang)}")
    return EXIT_OK


def _advice(args: argparse.Namespace, plan, capacity):
    """The report's recommendation and sensitivity, when asked for (--recommend,
    --sensitivity), on the default week."""
    from roomplan.capacity import Week
    from roomplan.recommend import RecommendOptions
    from roomplan.recommend.advice import recommend_on
    from roomplan.recommend.evaluate import Runner
    from roomplan.recommend.sensitivity import sensitivity
    from roomplan.report import Advice

    if not (args.recommend or args.sensitivity):
        return None
    progress = _progress(argparse.Namespace(json=False, lang=args.lang))
    options = RecommendOptions(capacity=capacity)  # the scheduler from ROOMPLAN_DASK_SCHEDULER
    with Runner(options.processes, options.scheduler) as runner:
        swings = sensitivity(plan, Week(), capacity, runner) if args.sensitivity else None
        answer = None
        if args.recommend:
            answer = recommend_on(runner, plan, Week(), options, progress)
    return Advice(answer, swings)


def cmd_report(args: argparse.Namespace) -> int:
    import datetime as dt

    from roomplan.capacity import Budget, CapacityOptions
    from roomplan.plan.edit import EditError
    from roomplan.report import ReportOptions, build_report, render
    from roomplan.scenarios import named

    out = Path(args.out)
    fmt = {".pdf": "pdf", ".html": "html", ".htm": "html", ".md": "md", ".csv": "csv"}.get(
        out.suffix.lower()
    )
    if fmt is None:
        raise InputError(t("cli.bad_report_suffix", args.lang, name=out.name))
    date = None
    if args.date:
        try:
            date = dt.date.fromisoformat(args.date)
        except ValueError:
            raise InputError(t("cli.bad_date", args.lang, value=args.date)) from None
    if args.interviews < 0 or args.interviews % 1:
        raise InputError(t("cli.bad_interviews", args.lang))
    plan = _load(args)
    try:
        scenarios = [named(plan, name, args.lang) for name in args.scenario or ()]
    except EditError as exc:
        raise InputError(exc.message(args.lang)) from None
    budget = Budget(work=args.work, seconds=args.time_limit)
    try:
        advice = _advice(args, plan, CapacityOptions(demand=int(args.interviews), budget=budget))
    except ValueError as exc:
        raise InputError(str(exc)) from None
    options = ReportOptions(
        lang=args.lang,
        demand=int(round(args.interviews)),
        scenarios=scenarios,
        author=args.author or "",
        date=date,
        budget=budget,
        advice=advice,
    )
    report = build_report(plan, options)
    data = render(report, fmt)
    tmp = out.with_name(out.name + ".part")
    try:
        tmp.write_bytes(data)
        tmp.replace(out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(
            t("cli.cannot_write", args.lang, path=str(out), error=exc.strerror)
        ) from None
    print(t("cli.wrote", args.lang, path=str(out)))
    return EXIT_OK


def cmd_roles(args: argparse.Namespace) -> int:
    """The library's role table, kept by the server's operator (who can reach the library
    itself): grant or take back a role, or show a user's roles."""
    from roomplan.access import parse_role
    from roomplan.library import SYSTEM, Library, LibraryError

    if not args.subject.strip():
        raise InputError(t("cli.empty_subject", args.lang))
    try:
        parse_role(args.role or "viewer")
    except ValueError:
        raise InputError(t("cli.unknown_role", args.lang, role=args.role)) from None
    try:
        lib = Library()
        if args.action in ("grant", "revoke"):
            if not args.role:
                raise InputError(t("cli.role_missing", args.lang))
            lib.set_role(args.subject, args.role, granted=args.action == "grant", by=SYSTEM)
        roles = sorted(r.value for r in lib.roles(args.subject.strip()))
    except LibraryError as exc:
        raise InputError(exc.message(args.lang)) from None
    print(f"{args.subject.strip()}: {', '.join(roles) or '-'}")
    return EXIT_OK


def _capacity_args(capacity: argparse.ArgumentParser, lang: str) -> None:
    capacity.add_argument(
        "--interviews", type=float, default=237, help=t("cli.help.interviews", lang)
    )
    capacity.add_argument("--move-minutes", type=int, default=10, help=t("cli.help.move", lang))
    capacity.add_argument(
        "--windowless-hours", type=float, default=3.0, help=t("cli.help.windowless", lang)
    )
    capacity.add_argument("--spread", default="even", help=t("cli.help.spread", lang))
    capacity.add_argument(
        "--move-in-lunch", action="store_true", help=t("cli.help.move_in_lunch", lang)
    )
    capacity.add_argument("--away", help=t("cli.help.away", lang))
    capacity.add_argument("--staff-room", help=t("cli.help.staff_room", lang))
    capacity.add_argument("--work", type=float, default=30.0, help=t("cli.help.work", lang))
    capacity.add_argument(
        "--time-limit", type=float, default=600.0, help=t("cli.help.time_limit", lang)
    )
    capacity.add_argument("--json", action="store_true", help=t("cli.help.json_capacity", lang))
    capacity.add_argument("--schedule-csv", help=t("cli.help.schedule_csv", lang))
    capacity.add_argument("--compare", help=t("cli.help.compare", lang))


def _recommend_args(recommend: argparse.ArgumentParser, lang: str) -> None:
    recommend.add_argument(
        "--interviews", type=float, action="append", help=t("cli.help.site_interviews", lang)
    )
    recommend.add_argument("--target", type=int, action="append", help=t("cli.help.target", lang))
    recommend.add_argument("--budget", type=float, help=t("cli.help.budget", lang))
    recommend.add_argument("--catalogue", help=t("cli.help.catalogue", lang))
    recommend.add_argument("--processes", type=int, help=t("cli.help.processes", lang))
    recommend.add_argument("--scheduler", help=t("cli.help.scheduler", lang))
    recommend.add_argument("--questions", type=int, default=300, help=t("cli.help.questions", lang))
    recommend.add_argument("--json", action="store_true", help=t("cli.help.json_recommend", lang))
    recommend.add_argument(
        "--sensitivity", action="store_true", help=t("cli.help.sensitivity", lang)
    )
    for name, kind, default, key in (
        ("--move-minutes", int, 10, "move"),
        ("--windowless-hours", float, 3.0, "windowless"),
        ("--spread", str, "even", "spread"),
        ("--work", float, 30.0, "work"),
        ("--time-limit", float, 600.0, "time_limit"),
    ):
        recommend.add_argument(name, type=kind, default=default, help=t(f"cli.help.{key}", lang))
    recommend.add_argument(
        "--move-in-lunch", action="store_true", help=t("cli.help.move_in_lunch", lang)
    )
    recommend.add_argument("--away", help=t("cli.help.away", lang))
    recommend.add_argument("--staff-room", help=t("cli.help.staff_room", lang))


def _report_args(report: argparse.ArgumentParser, lang: str) -> None:
    from roomplan.scenarios import NAMED

    report.add_argument("--out", required=True, help=t("cli.help.report_out", lang))
    report.add_argument(
        "--interviews", type=float, default=237, help=t("cli.help.interviews", lang)
    )
    report.add_argument(
        "--scenario",
        action="append",
        choices=NAMED,
        help=t("cli.help.scenario", lang, names=", ".join(NAMED)),
    )
    report.add_argument("--author", help=t("cli.help.author", lang))
    report.add_argument(
        "--recommend", action="store_true", help=t("cli.help.report_recommend", lang)
    )
    report.add_argument("--sensitivity", action="store_true", help=t("cli.help.sensitivity", lang))
    report.add_argument("--date", help=t("cli.help.date", lang))
    report.add_argument("--work", type=float, default=30.0, help=t("cli.help.work", lang))
    report.add_argument(
        "--time-limit", type=float, default=600.0, help=t("cli.help.time_limit", lang)
    )


def _roles_parser(sub, lang: str) -> None:
    roles = sub.add_parser("roles", help=t("cli.help.roles", lang))
    roles.add_argument("action", choices=("grant", "revoke", "show"))
    roles.add_argument("subject", help=t("cli.help.subject", lang))
    roles.add_argument("role", nargs="?", help=t("cli.help.role", lang))
    roles.add_argument(
        "--lang", choices=LANGS, default=argparse.SUPPRESS, help=t("cli.help.lang", lang)
    )
    roles.set_defaults(func=cmd_roles)


def build_parser(lang: str | None = None) -> argparse.ArgumentParser:
    lang = lang or default_lang()
    parser = argparse.ArgumentParser(prog="roomplan", description=t("cli.description", lang))
    parser.add_argument("--lang", choices=LANGS, default=lang, help=t("cli.help.lang", lang))
    sub = parser.add_subparsers(dest="command", required=True)

    def plan_command(name: str, func, plans: str | None = None):
        p = sub.add_parser(name, help=t(f"cli.help.{name}", lang))
        what = "cli.help.plans" if plans else "cli.help.plan"
        p.add_argument("plan", nargs=plans, help=t(what, lang))
        p.add_argument(
            "--lang", choices=LANGS, default=argparse.SUPPRESS, help=t("cli.help.lang", lang)
        )
        p.add_argument("--format", choices=("json", "dxf"), help=t("cli.help.format", lang))
        p.add_argument("--dxf-scale", type=float, help=t("cli.help.dxf_scale", lang))
        p.add_argument("--layer-map", help=t("cli.help.layer_map", lang))
        p.add_argument("--kind-map", help=t("cli.help.kind_map", lang))
        p.set_defaults(func=func)
        return p

    plan_command("validate", cmd_validate)
    privacy = plan_command("privacy", cmd_privacy)
    privacy.add_argument(
        "--effort", choices=EFFORTS, default="normal", help=t("cli.help.effort", lang)
    )
    privacy.add_argument("--masking", help=t("cli.help.masking", lang))
    privacy.add_argument("--json", action="store_true", help=t("cli.help.json", lang))
    privacy.add_argument("--all", action="store_true", help=t("cli.help.all", lang))
    _capacity_args(plan_command("capacity", cmd_capacity), lang)
    _recommend_args(plan_command("recommend", cmd_recommend, "+"), lang)
    devices = plan_command("devices", cmd_devices)
    devices.add_argument("--json", action="store_true", help=t("cli.help.json", lang))
    _report_args(plan_command("report", cmd_report), lang)
    show = plan_command("show", cmd_show)
    show.add_argument("--out", required=True, help=t("cli.help.out", lang))
    _roles_parser(sub, lang)
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
    except BrokenPipeError:
        sys.stderr.close()
        return EXIT_OK
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
