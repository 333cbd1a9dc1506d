"""The runnable case studies: names, stories, practices, data and typed parameters.

A case's ``name`` is what a practice's ``case_study`` field points at and what
``govlab run NAME`` runs.
"""

from __future__ import annotations

from govlab.casestudies.spec import CaseStudy, DataField, DataSpec, Figure, Parameter
from govlab.errors import NotFound

_SEED = Parameter("seed", "int", 0, "Seed of the generated (synthetic) data: same seed, same data.")

SHARED_PORTAL = CaseStudy(
    name="shared-portal",
    title="A shared citizen-services portal across municipalities",
    description=(
        "Commonwealth Connect gave many Massachusetts towns one shared app and work-order "
        "system ($400k state grant, 54 municipalities by June 2013). Did residents move to "
        "the online channel, what does a transaction cost by channel, what does the shift "
        "save, and how should the towns split the platform's cost?"
    ),
    practices=("commonwealth-connect",),
    notebook="shared-portal.ipynb",
    data=DataSpec(
        kind="table",
        fields=(
            DataField(
                "municipality",
                "text",
                "Town or city.",
                example="Ashland",
                names=("town", "city", "council", "place"),
            ),
            DataField(
                "month",
                "datetime",
                "First day of the month.",
                example="2021-01-01",
                names=("date", "period"),
            ),
            DataField(
                "channel",
                "text",
                "online / phone / in_person (web, app, telephone, counter, post... are "
                "recognised).",
                example="Web",
                names=("channel type", "contact method", "source"),
            ),
            DataField(
                "transactions",
                "number",
                "Transactions in that month and channel.",
                example="1,204",
                names=("requests", "contacts", "count", "volume"),
            ),
            DataField(
                "population",
                "number",
                "Residents (for the split by population).",
                False,
                example="17,000",
                names=("residents", "inhabitants"),
            ),
            DataField(
                "treated",
                "bool",
                "True where the town joined the portal.",
                False,
                example="yes",
                names=("joined", "member", "participant"),
            ),
            DataField(
                "cost_per_transaction",
                "number",
                "Your own unit cost (with unit_costs=data).",
                False,
                example="2.83",
                names=("unit cost", "cost"),
            ),
        ),
        default=(
            "SYNTHETIC monthly channel volumes for the towns around a launch "
            "(govlab.datasets.generate_channel_shift) with the UK GDS 2012 unit costs (real)."
        ),
        example="--map municipality=Town --map month=Month --map transactions=Count",
    ),
    parameters=(
        Parameter(
            "municipalities",
            "int",
            54,
            "Towns that join the portal in the generated panel (Commonwealth Connect had 54 "
            "by June 2013); as many towns that do not join are generated for comparison.",
            minimum=1,
            maximum=500,
        ),
        Parameter(
            "requests_per_resident",
            "float",
            0.03,
            "Service requests per resident a month in the generated panel (an assumption).",
            minimum=0.0001,
            maximum=10,
        ),
        Parameter("months", "int", 36, "Months in the generated panel.", minimum=6, maximum=240),
        Parameter(
            "launch_month", "int", 18, "Month of the launch in the generated panel.", minimum=1
        ),
        Parameter(
            "launch_date",
            "date",
            None,
            "Month the portal went live in your data (YYYY-MM-DD); needed with --data.",
        ),
        Parameter(
            "platform_cost",
            "float",
            400_000.0,
            "One-off cost of the shared platform in USD (Commonwealth Connect: a $400k grant).",
            minimum=0,
        ),
        Parameter(
            "running_cost",
            "float",
            0.0,
            "Yearly running cost in USD (not published for Commonwealth Connect).",
            minimum=0,
        ),
        Parameter(
            "split",
            "str",
            "population",
            "How the towns share the platform's cost.",
            choices=("equal", "population", "usage"),
        ),
        Parameter(
            "unit_costs",
            "str",
            "socitm",
            "Cost per transaction: 'socitm' = UK council averages 2012 from the GDS report "
            "(GBP 0.15 online, 2.83 phone, 8.62 in person); 'data' = your cost_per_transaction.",
            choices=("socitm", "data"),
        ),
        Parameter(
            "usd_per_gbp",
            "float",
            1.58,
            "Exchange rate for the UK unit costs (2012 average).",
            minimum=0.01,
        ),
        Parameter("years", "int", 5, "Horizon of the cost-benefit, in years.", minimum=1),
        Parameter(
            "discount_rate",
            "float",
            0.035,
            "Yearly discount rate (UK Green Book: 3.5 %).",
            minimum=0,
            maximum=1,
        ),
        _SEED,
    ),
    figures=(
        Figure("municipalities", "Municipalities"),
        Figure("online_share_before", "Online share before the launch", "%", "higher"),
        Figure("online_share_after", "Online share after the launch", "%", "higher"),
        Figure("its_level_change", "Jump in online share at the launch", "points", "higher"),
        Figure("its_slope_change", "Change in monthly trend after the launch", "points/month"),
        Figure("its_p_value", "p-value of the jump", "p"),
        Figure(
            "did_effect", "Average shift beyond the towns that did not join", "points", "higher"
        ),
        Figure("cost_per_transaction_before", "Cost per transaction before", "USD", "lower"),
        Figure("cost_per_transaction_after", "Cost per transaction after", "USD", "lower"),
        Figure("annual_savings", "Yearly savings from the shift", "USD", "higher"),
        Figure("npv", "Net present value", "USD", "higher"),
        Figure("roi", "Return on investment", "%", "higher"),
        Figure("payback_years", "Payback period", "years", "lower"),
        Figure("cost_per_municipality", "Median cost per municipality", "USD", "lower"),
    ),
)

TRANSIT_NETWORK = CaseStudy(
    name="transit-network",
    title="Transit network analytics: frequency, coverage, productivity, a redesign",
    description=(
        "Houston METRO's System Reimagining and Seoul's Owl Bus redesigned bus networks from "
        "data. On the Cairns GTFS feed: how often each route runs, which stops it serves, "
        "how many riders each revenue hour carries, which routes are weakest, and what a "
        "redesign did to ridership."
    ),
    practices=("houston-metro-system-reimagining", "seoul-owl-bus"),
    notebook="transit-network.ipynb",
    data=DataSpec(
        kind="ridership",
        fields=(
            DataField(
                "date",
                "datetime",
                "Day, first day of the week, or month of the boardings.",
                example="2014-01-06",
                names=("week", "week starting", "day", "month", "period"),
            ),
            DataField(
                "route",
                "text",
                "Route (GTFS route_short_name) or mode; none: the whole network.",
                False,
                example="110",
                names=("line", "route name", "mode", "service"),
            ),
            DataField(
                "boardings",
                "number",
                "Boardings in that period (or one column per route / mode).",
                example="12,480",
                names=("riders", "ridership", "passengers", "trips", "journeys"),
            ),
            DataField(
                "revenue_hours",
                "number",
                "Revenue hours run in that period.",
                False,
                example="310.5",
                names=("service hours", "vehicle hours", "hours"),
            ),
            DataField(
                "period",
                "text",
                "before / after the redesign.",
                False,
                example="after",
                names=("phase", "redesign"),
            ),
        ),
        default=(
            "The Cairns GTFS feed (real, 2014) with SYNTHETIC weekly ridership around a "
            "redesign (govlab.datasets.generate_ridership): the feed has no ridership."
        ),
        example="--map route=Line --map date=Week --map boardings=Riders",
        aliases=(("week", "date"), ("day", "date"), ("month", "date"), ("mode", "route")),
    ),
    parameters=(
        Parameter(
            "gtfs",
            "path",
            "",
            "Your GTFS zip or folder; 'sample' for the Cairns feed shipped; empty: the Cairns "
            "feed when you give no ridership, no feed when you give yours.",
        ),
        Parameter(
            "date", "date", None, "Service day to analyse; default: the feed's busiest weekday."
        ),
        Parameter("start", "str", "07:00", "Start of the daytime window (HH:MM)."),
        Parameter("end", "str", "19:00", "End of the daytime window (HH:MM)."),
        Parameter("radius_m", "float", 400.0, "Walking distance to a stop, in metres.", minimum=50),
        Parameter("weakest", "int", 5, "How many weakest routes to list.", minimum=1),
        Parameter("weeks_before", "int", 26, "Generated weeks before the redesign.", minimum=2),
        Parameter("weeks_after", "int", 26, "Generated weeks after the redesign.", minimum=2),
        Parameter(
            "redesign_date",
            "date",
            None,
            "First day of the new network in your data (when it has no 'period' column).",
        ),
        Parameter(
            "per",
            "str",
            "week",
            "Period of the ridership analysis: daily data is summed into weeks or months.",
            choices=("week", "month"),
        ),
        _SEED,
    ),
    figures=(
        Figure("routes", "Routes running on the day"),
        Figure("stops", "Stops served on the day"),
        Figure("median_headway_min", "Median daytime headway", "minutes", "lower"),
        Figure("frequent_routes", "Routes every 15 minutes or better"),
        Figure("coverage_km2", "Area within walking distance of a stop", "km²"),
        Figure("service_hours", "Revenue hours on the day", "hours"),
        Figure("boardings_per_hour", "Boardings per revenue hour", "", "higher"),
        Figure("weakest_route", "Weakest route"),
        Figure("weakest_boardings_per_hour", "Its boardings per revenue hour", "", "higher"),
        Figure(
            "ridership_change", "Change in boardings per period after the redesign", "%", "higher"
        ),
        Figure("ridership_change_low", "95 % interval, low", "%"),
        Figure("ridership_change_high", "95 % interval, high", "%"),
        Figure("ridership_p_value", "p-value of the change", "p"),
    ),
)

SERVICE_311 = CaseStudy(
    name="service-performance-311",
    title="311 service performance: KPIs, service levels, backlog, where to act first",
    description=(
        "NYC311 is New York City's single non-emergency number. On a sample of its "
        "requests: how fast each agency and complaint type is served, how many requests "
        "meet the service level, how the backlog moves, and which groups to act on first."
    ),
    practices=("nyc-311",),
    notebook="service-performance-311.ipynb",
    data=DataSpec(
        kind="requests",
        fields=(
            DataField(
                "id",
                "text",
                "Request id.",
                example="SR-2024-00017",
                names=("unique key", "ticket", "reference", "case number", "service request id"),
            ),
            DataField(
                "opened",
                "datetime",
                "When the request was made.",
                example="2024-03-01 08:15",
                names=("created", "created date", "date logged", "requested", "received", "open"),
            ),
            DataField(
                "closed",
                "datetime",
                "When it was closed (empty while open).",
                example="2024-03-04 16:40",
                names=("closed date", "resolved", "date resolved", "completed", "done"),
            ),
            DataField(
                "category",
                "text",
                "Complaint type or service.",
                False,
                example="Pothole",
                names=("complaint type", "type", "service area", "issue", "request type"),
            ),
            DataField(
                "agency",
                "text",
                "Agency or department responsible.",
                False,
                example="Highways",
                names=("department", "dept", "agency responsible", "service team", "division"),
            ),
            DataField(
                "status",
                "text",
                "Status as the source writes it.",
                False,
                example="Closed",
                names=("state", "current status"),
            ),
            DataField(
                "channel",
                "text",
                "Phone, online, app...",
                False,
                example="Web",
                names=("source", "contact method", "open data channel type"),
            ),
            DataField(
                "district",
                "text",
                "Borough, ward or district.",
                False,
                example="Ward 4",
                names=("ward", "borough", "community board", "area"),
            ),
        ),
        default="2,000 NYC 311 requests from 2011 (real, NYC Open Data).",
        analysed=("id", "opened", "closed", "category", "agency"),
        example=(
            "--map id=Ticket --map opened=Created --map closed=Closed "
            "--map category=Type --map agency=Department"
        ),
    ),
    parameters=(
        Parameter(
            "sla_hours",
            "float",
            72.0,
            "Service-level target in hours (72 = three days).",
            minimum=0.01,
        ),
        Parameter(
            "min_requests",
            "int",
            20,
            "Smallest group (agency or complaint type) that is ranked.",
            minimum=1,
        ),
        Parameter("top", "int", 10, "How many groups to list where to act first.", minimum=1),
        Parameter(
            "backlog_freq",
            "str",
            "W",
            "Backlog period: D (day), W (week) or MS (month).",
            choices=("D", "W", "MS"),
        ),
        Parameter(
            "as_of",
            "date",
            None,
            "Date at which open requests are counted; default: the last date in the data.",
        ),
    ),
    figures=(
        Figure("requests", "Requests"),
        Figure("closed_share", "Closed", "%", "higher"),
        Figure("median_hours", "Median response time", "hours", "lower"),
        Figure("p90_hours", "90th percentile response time", "hours", "lower"),
        Figure("sla_compliance", "Closed within the service level", "%", "higher"),
        Figure("backlog_end", "Open at the end", "", "lower"),
        Figure("worst_agency", "Agency with the lowest compliance"),
        Figure("worst_agency_compliance", "Its compliance", "%", "higher"),
        Figure("act_first", "Act first on"),
        Figure("act_first_late_share", "Its share of all late requests", "%", "lower"),
    ),
)

DIGITAL_BY_DEFAULT = CaseStudy(
    name="digital-by-default",
    title="Digital by default: what moving transactions online saves",
    description=(
        "The UK Government Digital Service's Digital Efficiency Report (2012) costed the "
        "move of government transactions to digital channels from 17 case-study services, "
        "and its Performance Platform then published cost per transaction and digital "
        "take-up for every service. On those services, or on a council's own channel "
        "volumes: how much is already digital, what the transactions cost, what each point "
        "of shift saves, and where a push to digital saves the most."
    ),
    practices=("gov-uk-performance-platform",),
    notebook="digital-by-default.ipynb",
    data=DataSpec(
        kind="table",
        fields=(
            DataField(
                "service",
                "text",
                "The service or transaction.",
                example="Council tax payments",
                names=("transaction", "service name", "activity", "process"),
            ),
            DataField(
                "department",
                "text",
                "Department or team responsible.",
                False,
                example="Revenues",
                names=("department agency", "directorate", "team"),
            ),
            DataField(
                "channel",
                "text",
                "Channel of a row (web, phone, face to face, post ...) when the file gives "
                "one row per service and channel.",
                False,
                example="Web",
                names=("contact channel", "contact method", "source"),
            ),
            DataField(
                "transactions",
                "number",
                "Transactions of that service (and channel).",
                False,
                example="12,000",
                names=("volume", "contacts", "count", "requests", "annual volume"),
            ),
            DataField(
                "pct_digital",
                "number",
                "Share done digitally, 0-100 (when the file has no channel column).",
                False,
                example="47",
                names=("digital", "digital take up", "online share"),
            ),
        ),
        default=(
            "The 17 case-study services of the UK GDS Digital Efficiency Report (2012, real): "
            "annual transactions and % digital, with the channel costs it cites."
        ),
        example="--map service=Service --map channel=Channel --map transactions=Contacts",
        aliases=(("annual_volume", "transactions"),),
    ),
    parameters=(
        Parameter(
            "unit_costs",
            "str",
            "socitm",
            "Cost per transaction: 'socitm' = UK council averages 2012 (GBP 0.15 digital, 2.83 "
            "phone, 8.62 face to face); 'dsa' = the Driving Standards Agency 2011/12 (0.22 "
            "digital, 4.11 phone, 6.62 post), both from the GDS report.",
            choices=("socitm", "dsa"),
        ),
        Parameter(
            "phone_share",
            "float",
            0.5,
            "Share of the offline transactions made by phone when your file does not say "
            "(the rest face to face or by post).",
            minimum=0,
            maximum=1,
        ),
        Parameter(
            "target_pct",
            "float",
            80.0,
            "Digital take-up every service is brought up to in the savings estimate, in %.",
            minimum=0,
            maximum=100,
        ),
        Parameter(
            "top", "int", 5, "How many services to list where a shift saves most.", minimum=1
        ),
    ),
    figures=(
        Figure("services", "Services"),
        Figure("transactions", "Transactions a year"),
        Figure("digital_share", "Done digitally", "%", "higher"),
        Figure("annual_cost", "Cost of the transactions a year", "GBP", "lower"),
        Figure("cost_per_transaction", "Cost per transaction", "GBP", "lower"),
        Figure("saving_per_point", "Yearly saving per point of shift to digital", "GBP", "higher"),
        Figure("target_savings", "Yearly saving at the target take-up", "GBP", "higher"),
        Figure("biggest_service", "Where a shift saves most"),
        Figure("biggest_service_savings", "Its yearly saving at the target", "GBP", "higher"),
    ),
)

#: Every case study, by name.
CASES: dict[str, CaseStudy] = {
    case.name: case for case in (SHARED_PORTAL, TRANSIT_NETWORK, SERVICE_311, DIGITAL_BY_DEFAULT)
}


def get_case(name: str) -> CaseStudy:
    """The case study called ``name``.

    Raises
    ------
    NotFound
        No such case; the message lists the cases there are.
    """
    try:
        return CASES[name]
    except KeyError:
        raise NotFound(f"no case study named {name!r}; cases: {', '.join(CASES)}") from None
