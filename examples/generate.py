"""Generate the example small-business community as twarc2 JSONL.

What it models
--------------
Saltby is an invented seaside town. Forty of its small businesses are on X: a bakery, a
florist, cafés, a bookshop, a yoga studio, an accountant, market traders, online makers, a
plumber, a dog groomer, a coworking hub, the local newspaper and the chamber of trade. They
post promotional ("salesy") tweets and personal ones, and retweet each other's promotions as
a favour, expecting the favour back. The accounts fall into four loose clusters
(``CLUSTERS``): the high street, the Saturday market, online makers and local services.

The intended structure, which an analysis of the file should recover:

* ``MUTUAL_PAIRS`` retweet most of each other's promotions, all eight weeks.
* ``ONE_SIDED`` pairs are ``(supporter, supported)``: the supporter retweets most of the
  other's promotions and gets nothing back. ``BOOSTER`` (the chamber of trade) is such a
  supporter of many high-street and market businesses.
* ``NEWSPAPER`` is retweeted by almost everyone and never retweets anyone.
* ``FADING_PAIR`` is mutual until ``FADING_FROM``; from then on only its first member
  keeps retweeting the second.
* ``NEWCOMER`` starts tweeting in week 4 and opens in week 5. ``INTRODUCER`` retweets it from
  its first tweet; a day after that first retweet, ``ADOPTERS`` start supporting it too.
* ``CONNECTORS`` have occasional supporters outside their own cluster and bridge clusters.
* Every other pair has, at random, no relationship or an occasional one (a few retweets),
  and an occasional supporter is more likely to retweet someone who recently retweeted them.

Noise that is not support: retweets of personal tweets and of news, self-retweets
(``SELF_RETWEETERS``), quote tweets, replies (and thank-you replies to them), Friday
thank-you tweets mentioning the week's supporters, and retweets of accounts outside the
community (local radio, the football club, the council, ...), whose timelines are not
collected. Promotional tweets carry clear sales cues (prices, "order", "book", "20% off",
"code AUTUMN10", "now open", "back in stock", "we're hiring", ...) and usually a link to the
business's own site; personal tweets, news, replies, quotes and thank-you tweets carry none.
``tweet_kinds`` gives the ground-truth kind of every tweet in the file.

The file
--------
Each member's timeline from Monday 2026-09-28 00:00 to Sunday 2026-11-22 23:59:59 UTC, as
``twarc2 timeline`` writes it: one X API v2 response page per line, at most 100 tweets a
page, newest first. ``data`` holds the member's own tweets, retweets, quotes and replies;
``includes.users`` every account the page refers to; ``includes.tweets`` the originals of the
page's retweets, quotes and replies; ``meta`` and ``__twarc`` are shaped like the real ones.
One page appears twice, right after itself, as a page re-fetched after an interrupted
collection does (only ``__twarc.retrieved_at`` differs), so importers must be idempotent.

Everything derives from ``random.Random(seed)`` and the fixed tables below; nothing depends
on the clock or on set ordering, so a seed always gives the same pages.

Regenerate the committed file from the repository root with::

    python examples/generate.py              # writes examples/community.jsonl
    python examples/generate.py -o out.jsonl # or somewhere else
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

__all__ = [
    "ADOPTERS",
    "BOOSTER",
    "CLUSTERS",
    "CONNECTORS",
    "DEFAULT_OUTPUT",
    "DEFAULT_SEED",
    "FADING_FROM",
    "FADING_PAIR",
    "INTRODUCER",
    "MEMBERS",
    "MUTUAL_PAIRS",
    "NEWCOMER",
    "NEWSPAPER",
    "ONE_SIDED",
    "SELF_RETWEETERS",
    "WINDOW_END",
    "WINDOW_START",
    "generate",
    "main",
    "tweet_kinds",
]

WINDOW_START = datetime(2026, 9, 28, tzinfo=timezone.utc)
"""Start of the collected timelines (a Monday)."""
WINDOW_END = datetime(2026, 11, 22, 23, 59, 59, tzinfo=timezone.utc)
"""End of the collected timelines (the Sunday eight weeks later)."""
DEFAULT_SEED = 2026
DEFAULT_OUTPUT = Path(__file__).with_name("community.jsonl")

_WEEKS = 8
_PAGE_SIZE = 100
_VOLUME = 0.5
"""Scales every account's posting rate, to keep the file a convenient size."""
_TWITTER_EPOCH_MS = 1288834974657
_TWARC_VERSION = "2.14.0"
_COLLECTED_AT = datetime(2026, 11, 23, 9, 12, 5, tzinfo=timezone.utc)


# --------------------------------------------------------------------------------------------
# The community
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Business:
    """A member of the community and what it sells."""

    username: str
    name: str
    cluster: str
    domain: str
    bio: str
    items: tuple[tuple[str, str], ...]
    """What it sells, as (plural phrase or service, price)."""
    seasonal: str
    """What customers pre-order or book for Christmas."""
    specials: tuple[str, ...]
    """Promotional tweets only this business would write."""
    services: bool = False
    role: str = ""
    """Whom it might be hiring; empty for sole traders."""
    promo_rate: float = 2.5
    personal_rate: float = 1.2
    since: int = 2015
    """Year the account was created."""


_HS, _MK, _MA, _SV = "high_street", "market", "makers", "services"

_MEMBERS: tuple[_Business, ...] = (
    # ---- high street ---------------------------------------------------------------------
    _Business(
        "hollys_bakery", "Holly's Bakery 🥐", _HS, "hollysbakery.co.uk",
        "Sourdough, sticky buns and far too much butter. Harbour Street, Saltby.",
        (("cinnamon buns", "£2.80 each"), ("sourdough loaves", "£4.50"),
         ("almond croissants", "£3.20"), ("pumpkin spice knots", "£2.95")),
        "Christmas stollen",
        ("Sourdough sells out by 10am on Saturdays, so pre-order yours for collection {url}",
         "Our Saturday bake list is live! Order by Friday noon for collection {url}"),
        role="early-morning baker", promo_rate=3.5, personal_rate=1.5, since=2012,
    ),
    _Business(
        "harbour_cafe", "The Harbour Café ☕", _HS, "harbourcafe.co.uk",
        "Coffee, cake and the best view in Saltby. Dogs welcome 🐶",
        (("flat whites", "£3.10"), ("bacon baps", "£5.50"), ("cream teas", "£7.95"),
         ("bowls of pumpkin soup & a roll", "£6.50")),
        "Christmas party lunches",
        ("Breakfast served till 11:30 every day. Full English £9.50, book a table here {url}",
         "Cream tea for two with a sea view, just £14. Book your table {url}"),
        role="weekend barista", promo_rate=3.0, personal_rate=1.5, since=2011,
    ),
    _Business(
        "petalandstem", "Petal & Stem Florist 💐", _HS, "petalandstem.co.uk",
        "Seasonal, locally grown flowers. Weddings, funerals & everything in between.",
        (("autumn bouquets", "£28"), ("dried flower posies", "£15"), ("pots of heather", "£6"),
         ("wreath-making kits", "£35")),
        "Christmas door wreaths",
        ("Wreath-making workshop on 19 Nov, £45 including mulled wine. Book your place {url}",
         "Same-day local delivery on bouquets ordered before 11am 💐 {url}"),
        role="Saturday florist", promo_rate=2.5, since=2016,
    ),
    _Business(
        "pageturnersbks", "Page Turners Bookshop", _HS, "pageturnersbooks.co.uk",
        "Independent bookshop on Fore Street. Author events and a shop cat called Brontë.",
        (("signed first editions", "£20"), ("book tokens", "£10"),
         ("children's picture books", "£7.99"), ("mystery book bundles", "£25")),
        "signed Christmas books",
        ("Author evening with crime writer J. M. Tregarthen, Thursday 7pm. Tickets £5 {url}",
         "Blind date with a book 📚 Wrapped mystery reads, £9 each, in store and online {url}"),
        role="part-time bookseller", personal_rate=1.5, since=2013,
    ),
    _Business(
        "saltbyyoga", "Saltby Yoga Studio", _HS, "saltbyyoga.co.uk",
        "Yoga for every body. Classes, workshops and retreats above the old post office.",
        (("drop-in class", "£9"), ("beginners' course", "£48"), ("10-class pass", "£75"),
         ("private session", "£40")),
        "Christmas gift vouchers",
        ("New Monday 7pm gentle flow class, and your first class is free! Book online {url}",
         "Sunrise yoga on the beach this Sunday, £12. Book your mat {url}"),
        services=True, role="weekend yoga teacher", personal_rate=1.5, since=2017,
    ),
    _Business(
        "mcbride_acctnts", "McBride & Co Accountants", _HS, "mcbrideaccountants.co.uk",
        "Friendly chartered accountants for small businesses and sole traders.",
        (("self-assessment return", "£150"), ("bookkeeping package", "£60 a month"),
         ("payroll setup", "£95"), ("VAT return", "£85")),
        "January tax return appointments",
        ("Self-assessment deadline is 31 January. Beat the rush and book your return "
         "now, from £150 {url}",
         "Free 30-minute consultation for new businesses this month. DM us or book online {url}"),
        services=True, role="trainee accountant", promo_rate=1.8, personal_rate=0.8, since=2014,
    ),
    _Business(
        "fenwicksbutcher", "Fenwick's Butchers", _HS, "fenwicksbutchers.co.uk",
        "Family butchers since 1962. Local meat, proper sausages.",
        (("pork & apple sausages", "£6.50 a kilo"), ("steak pies", "£4.25"),
         ("rolled rib joints", "£18"), ("venison burgers", "£3.50 each")),
        "Christmas turkeys",
        ("Bonfire Night sausage packs, 20 for £10 🎆 Order for collection {url}",
         "Christmas turkey orders now open! Free-range Norfolk Bronze from £55 {url}"),
        role="apprentice butcher", personal_rate=1.0, since=2013,
    ),
    _Business(
        "cornerdeli_sb", "The Corner Deli", _HS, "cornerdeli.co.uk",
        "Cheese, charcuterie, coffee and good bread on the corner of Fore Street.",
        (("ploughman's boxes", "£8.50"), ("olive selections", "£4"), ("deli hampers", "£45"),
         ("toasted sourdough sandwiches", "£6.95")),
        "Christmas hampers",
        ("Lunch deal: any toastie + coffee for £8. Order ahead on our site {url}",),
        role="deli assistant", promo_rate=2.2, personal_rate=1.0, since=2018,
    ),
    _Business(
        "dunes_hair", "Dunes Hair Studio ✂️", _HS, "duneshair.co.uk",
        "Cuts, colour and a cuppa. Appointments and walk-ins.",
        (("cut & blow dry", "£38"), ("full head of colour", "£75"), ("men's cut", "£18"),
         ("bridal hair trial", "£50")),
        "Christmas party appointments",
        ("Late appointments every Thursday until 8pm ✂️ Book online {url}",),
        services=True, role="junior stylist", promo_rate=2.0, personal_rate=1.5, since=2016,
    ),
    _Business(
        "bayviewbnb", "Bayview B&B", _HS, "bayviewbnb.co.uk",
        "Six sea-view rooms, a proper breakfast and a warm welcome on Saltby seafront.",
        (("midweek break", "£89 a night"), ("winter weekend for two", "£199"),
         ("sea-view room", "£110 a night")),
        "New Year stays",
        ("Winter midweek offer: stay 3 nights, pay for 2. Book direct for the best price {url}",),
        services=True, role="housekeeper", promo_rate=1.8, personal_rate=1.0, since=2012,
    ),
    _Business(
        "tideandtonic", "Tide & Tonic 🍸", _HS, "tideandtonic.co.uk",
        "Cocktail & gin bar on Harbour Street. Opening October 2026.",
        (("gin flights", "£18"), ("espresso martinis", "£9.50"), ("small plates", "£6"),
         ("mocktails", "£5.50")),
        "Christmas party packages",
        ("Happy hour 5–7pm every weekday: cocktails £7 🍸 Book a table {url}",
         "Live jazz this Friday from 8pm. Table bookings recommended {url}"),
        role="bartender", promo_rate=3.5, personal_rate=0.8, since=2026,
    ),
    _Business(
        "saltbychamber", "Saltby Chamber of Trade", _HS, "saltbychamber.org.uk",
        "Supporting Saltby's businesses since 1921.",
        (("Business Breakfast place", "£12"), ("annual membership", "£95"),
         ("networking lunch place", "£18")),
        "Business Awards dinner tickets",
        ("Tickets now on sale for the Saltby Business Awards dinner, 20 Nov, £35 {url}",
         "Join the Chamber: membership from £95 a year with free marketing support {url}"),
        services=True, promo_rate=1.5, personal_rate=0.8, since=2010,
    ),
    _Business(
        "saltbygazette", "Saltby Gazette 📰", _HS, "saltbygazette.co.uk",
        "News, sport and what's on in Saltby since 1888.",
        (),
        "Christmas Gift Guide adverts",
        ("This week's Gazette is out now, pick up a copy for £1.50 or subscribe online {url}",
         "Advertise your business in our Christmas Gift Guide from £45. DM us for details {url}",
         "Nominations now open for the Saltby Business Awards 2026! {url}",
         "Subscribe to the Gazette for £1 a week and never miss a story {url}",
         "Book your advert in the Christmas lights souvenir edition now, from £30 {url}"),
        promo_rate=1.5, personal_rate=5.0, since=2009,
    ),
    # ---- Saturday market -----------------------------------------------------------------
    _Business(
        "marcos_veg", "Marco's Fruit & Veg", _MK, "marcosveg.co.uk",
        "Fruit & veg from local farms. Saltby Market every Saturday, deliveries Tue & Fri.",
        (("veg boxes", "£18"), ("bags of Cornish potatoes", "£2 a bag"),
         ("crown prince squashes", "£3 each"), ("fruit boxes", "£15")),
        "Christmas veg boxes",
        ("Veg boxes from £18, free delivery in Saltby on Tue & Fri. Order by Monday {url}",),
        role="delivery driver", promo_rate=3.0, since=2015,
    ),
    _Business(
        "cheesewheel_sb", "The Cheese Wheel 🧀", _MK, "thecheesewheel.co.uk",
        "Farmhouse cheese from the South West. Find us at Saltby Market.",
        (("Cornish Yarg wedges", "£5.50"), ("cheese boards for two", "£16"),
         ("smoked cheddar truckles", "£12"), ("goat's cheese logs", "£4.80")),
        "Christmas cheese boxes",
        ("Cheese of the week: Sharpham Rustic, £4.20 per 200g. DM us to reserve yours!",),
        role="market assistant", promo_rate=2.8, personal_rate=1.0, since=2017,
    ),
    _Business(
        "saltbybrewing", "Saltby Brewing Co. 🍺", _MK, "saltbybrewing.co.uk",
        "Small-batch beer brewed by the harbour. Taproom Fri–Sun.",
        (("cans of Harbour Pale", "£3.80"), ("mixed 12-packs", "£36"),
         ("growler refills", "£12"), ("bottles of Lifeboat Stout", "£4.20")),
        "Christmas beer boxes",
        ("New on tap this weekend: Storm Porter, £4.50 a pint 🍺 Taproom open Fri 4–10pm {url}",
         "Brewery tours every Saturday at 2pm, £15 including tasting. Book here {url}"),
        role="taproom assistant", promo_rate=3.2, personal_rate=1.5, since=2016,
    ),
    _Business(
        "senoraempanada", "Señora Empanada 🥟", _MK, "senoraempanada.co.uk",
        "Argentinian street food. Saltby Market on Saturdays & private events.",
        (("beef empanadas", "£4"), ("spinach & cheese empanadas", "£3.80"),
         ("empanada party boxes", "£30"), ("alfajores", "£2.50")),
        "Christmas party platters",
        ("Feeding a crowd? Empanada party boxes from £30. DM us to order",),
        role="market helper", promo_rate=3.0, since=2019,
    ),
    _Business(
        "crabandcreel", "Crab & Creel Fishmonger", _MK, "crabandcreel.co.uk",
        "Day-boat fish from Saltby harbour. Market stall Saturdays.",
        (("dressed crabs", "£9"), ("fish pie mixes", "£8.50"), ("fresh mackerel", "£3 each"),
         ("smoked haddock fillets", "£6.50")),
        "Christmas Eve seafood platters",
        ("Landed this morning: hake, plaice and monkfish. Order online for collection {url}",),
        role="fishmonger", personal_rate=1.0, since=2014,
    ),
    _Business(
        "wickhamcandles", "Wickham Candle Co.", _MK, "wickhamcandles.co.uk",
        "Hand-poured soy candles. Saltby Market & online.",
        (("sea salt & sage candles", "£14"), ("wax melts", "£4.50"), ("candle gift sets", "£32"),
         ("reed diffusers", "£18")),
        "advent candles",
        ("Autumn scents just launched: Bonfire, Blackberry & Woodsmoke 🕯️ Shop now {url}",),
        promo_rate=3.5, since=2020,
    ),
    _Business(
        "honeycombbees", "Honeycomb Apiary 🐝", _MK, "honeycombapiary.co.uk",
        "Raw local honey and beeswax from our hives above Saltby.",
        (("jars of wildflower honey", "£7.50"), ("beeswax wraps", "£12"),
         ("honey gift boxes", "£22"), ("pieces of comb honey", "£9")),
        "honey gift boxes",
        ("Heather honey harvest is in! Limited jars at £9, order now {url}",),
        promo_rate=3.5, personal_rate=1.0, since=2018,
    ),
    _Business(
        "littlebluevan", "Little Blue Coffee Van", _MK, "littlebluecoffee.co.uk",
        "Speciality coffee from a tiny blue van. Market on Saturdays, beach car park Sundays.",
        (("flat whites", "£3"), ("hot chocolates", "£3.20"), ("bags of house beans", "£9"),
         ("chai lattes", "£3.40")),
        "coffee gift subscriptions",
        ("Van's at the beach car park from 8am Sunday ☕ Pumpkin spice lattes £3.60",
         "Planning an event? DM us about hiring the van for your party or wedding"),
        promo_rate=2.5, personal_rate=1.5, since=2021,
    ),
    _Business(
        "rootboundplants", "Rootbound Plants 🌿", _MK, "rootboundplants.co.uk",
        "Houseplants & hardy perennials. Saltby Market & the old glasshouse on Mill Lane.",
        (("pothos cuttings", "£5"), ("monstera plants", "£22"), ("bags of spring bulbs", "£6"),
         ("terrarium kits", "£28")),
        "living Christmas trees",
        ("Bulb planting season! Tulip & daffodil bags 3 for £15 this weekend {url}",),
        role="nursery assistant", promo_rate=2.2, personal_rate=1.5, since=2019,
    ),
    # ---- online makers -------------------------------------------------------------------
    _Business(
        "purlandpine", "Purl & Pine Knits 🧶", _MA, "purlandpine.co.uk",
        "Hand-knitted hats, socks & blankets from Saltby wool.",
        (("chunky knit hats", "£28"), ("wool socks", "£16"), ("baby blankets", "£45"),
         ("knitting kits", "£32")),
        "Christmas jumpers",
        ("Knitting kits back in stock! Everything you need for a beanie, £32 {url}",),
        promo_rate=3.0, personal_rate=1.5, since=2017,
    ),
    _Business(
        "kilnstreet", "Kiln Street Ceramics · Zoë", _MA, "kilnstreetceramics.co.uk",
        "Wheel-thrown stoneware made in Saltby by Zoë.",
        (("speckled mugs", "£24"), ("serving bowls", "£45"), ("bud vases", "£18"),
         ("seconds", "£10")),
        "Christmas ornament sets",
        ("Kiln opening sale this Saturday, seconds from £10! Shop online from 7pm {url}",
         "Pottery taster evenings, £40 including clay & glazing. Book here {url}"),
        role="studio assistant", since=2018,
    ),
    _Business(
        "silverseajewels", "Silver Sea Jewellery", _MA, "silverseajewellery.co.uk",
        "Recycled silver jewellery inspired by the Saltby coast.",
        (("sea-glass pendants", "£38"), ("stacking rings", "£22"), ("pebble earrings", "£30"),
         ("personalised bangles", "£55")),
        "personalised Christmas gifts",
        ("Last orders for personalised Christmas pieces: 10 December. Order yours {url}",),
        personal_rate=1.0, since=2019,
    ),
    _Business(
        "inkygullprints", "Inky Gull Prints", _MA, "inkygull.co.uk",
        "Lino prints of seabirds, boats and harbour life.",
        (("A4 lino prints", "£35"), ("greetings cards", "£3.50"), ("tea towels", "£12"),
         ("2027 calendars", "£15")),
        "2027 calendars",
        ("2027 calendars have just launched! £15 or 2 for £25 {url}",),
        since=2016,
    ),
    _Business(
        "sudsandco", "Suds & Co. Soaps", _MA, "sudsandco.co.uk",
        "Cold-process soap & bath treats. Vegan, plastic-free.",
        (("seaweed soap bars", "£6"), ("bath bomb boxes", "£15"), ("shampoo bars", "£9"),
         ("soap gift sets", "£24")),
        "Christmas soap gift sets",
        ("Buy 3 bars, get the 4th free, this week only {url}",),
        personal_rate=1.0, since=2020,
    ),
    _Business(
        "tannersdaughter", "The Tanner's Daughter", _MA, "tannersdaughter.co.uk",
        "Hand-stitched leather goods. Wallets, belts, dog leads.",
        (("card wallets", "£32"), ("dog leads", "£38"), ("belts", "£55"), ("key fobs", "£12")),
        "personalised wallets",
        ("Free initial stamping on all wallets ordered before 1 December {url}",),
        promo_rate=2.0, personal_rate=0.8, since=2015,
    ),
    _Business(
        "threadbare_std", "Thread_Bare $tudio 🧵", _MA, "threadbarestudio.co.uk",
        "Embroidery hoops, patches & pet portraits in thread.",
        (("custom pet portraits", "£65"), ("embroidered patches", "£6"), ("hoop kits", "£22"),
         ("embroidered tote bags", "£18")),
        "custom Christmas hoops",
        ("Only 5 custom pet portrait slots left before Christmas! DM us to grab one 🧵",),
        promo_rate=3.5, personal_rate=1.0, since=2021,
    ),
    _Business(
        "cremedelacrumb", "Crème de la Crumb", _MA, "cremedelacrumb.co.uk",
        "Celebration cakes & brownies, baked to order and posted UK-wide.",
        (("brownie boxes", "£18"), ("celebration cakes", "£45"), ("cupcake dozens", "£24"),
         ("blondie boxes", "£18")),
        "Christmas brownie boxes",
        ("Brownie boxes now posting UK-wide. Free delivery this weekend with code CRUMBFREE "
         "{url}",),
        since=2020,
    ),
    _Business(
        "doodledunne", "Doodle Dunne Illustration ✏️", _MA, "doodledunne.com",
        "Illustrator. Maps, pets & wedding stationery. Commissions open.",
        (("custom house portraits", "£85"), ("Saltby map prints", "£25"),
         ("pet illustrations", "£60")),
        "Christmas commissions",
        ("Christmas commission slots now available: house portraits from £85. DM us {url}",),
        promo_rate=1.8, personal_rate=1.5, since=2014,
    ),
    # ---- local services ------------------------------------------------------------------
    _Business(
        "gareth_plumbing", "Gareth Price Plumbing & Heating", _SV, "garethplumbing.co.uk",
        "Gas Safe registered. Boilers, bathrooms, burst pipes. Saltby & villages.",
        (("boiler service", "£85"), ("power flush", "£350"), ("radiator fitting", "£180"),
         ("landlord gas safety certificate", "£65")),
        "pre-winter boiler checks",
        ("Cold snap on the way ❄️ Get your boiler serviced before winter for £85. "
         "Call or book online {url}",),
        services=True, role="apprentice plumber", promo_rate=2.0, since=2013,
    ),
    _Business(
        "brightspark_el", "Bright Spark Electrical ⚡", _SV, "brightsparkelectrical.co.uk",
        "Electricians for homes & businesses. Rewires, EV chargers, safety checks.",
        (("EV charger install", "£850"), ("EICR safety check", "£120"),
         ("outdoor lighting install", "£180")),
        "Christmas lights installs",
        ("Got an EV? Home charger installs from £850, grant paperwork included. "
         "Get a free quote {url}",),
        services=True, role="electrician's mate", promo_rate=2.0, since=2015,
    ),
    _Business(
        "pawfectgroom", "Pawfect Grooming 🐾", _SV, "pawfectgrooming.co.uk",
        "Dog grooming salon. Fear-free, treats included.",
        (("full groom", "£45"), ("puppy intro groom", "£25"), ("nail trim", "£8"),
         ("de-shedding treatment", "£35")),
        "Christmas pamper appointments",
        ("Christmas pamper slots are filling up! Book your pup in now {url}",),
        services=True, role="grooming assistant", personal_rate=1.8, since=2018,
    ),
    _Business(
        "muddypawswalks", "Muddy Paws Dog Walking", _SV, "muddypaws.co.uk",
        "Group & solo dog walks on Saltby beach and cliffs. Fully insured.",
        (("group walk", "£14"), ("solo walk", "£18"), ("puppy visit", "£12"),
         ("day of doggy day care", "£30")),
        "Christmas holiday day care",
        ("Two spaces left on our Tuesday group walks 🐕 DM us to book a meet & greet",),
        services=True, role="dog walker", promo_rate=2.0, personal_rate=2.0, since=2019,
    ),
    _Business(
        "theloftcowork", "The Loft Coworking", _SV, "theloftcowork.co.uk",
        "Desks, meeting rooms & good coffee above the harbour. Community first.",
        (("day pass", "£15"), ("meeting room hire", "£25 an hour"), ("monthly hot desk", "£140"),
         ("dedicated desk", "£220 a month")),
        "January desk memberships",
        ("Your first day is free for new members. Book a desk and come and work with us {url}",
         "Freelancer breakfast club Friday 8am, £5 including bacon rolls. Book your spot {url}"),
        services=True, role="community manager", since=2017,
    ),
    _Business(
        "pixelharbour", "Pixel Harbour Web Design", _SV, "pixelharbour.co.uk",
        "Websites for small businesses that actually get found. Based at @theloftcowork.",
        (("website health check", "£99"), ("small business website", "£1,200"),
         ("online shop setup", "£650"), ("monthly care plan", "£35")),
        "January website launches",
        ("Is your website ready for Christmas shoppers? Book a £99 health check this month {url}",),
        services=True, role="junior developer", promo_rate=2.0, personal_rate=1.0, since=2016,
    ),
    _Business(
        "elliemarshphoto", "Ellie Marsh Photography 📷", _SV, "elliemarshphotography.co.uk",
        "Family, wedding & product photography in Saltby.",
        (("mini family shoot", "£75"), ("product photography day", "£350"),
         ("headshot session", "£60"), ("wedding package", "£1,450")),
        "Christmas mini shoots",
        ("Christmas mini shoots on the beach, 22 Nov, £75 with 10 edited images. Book now {url}",),
        services=True, personal_rate=1.5, since=2014,
    ),
    _Business(
        "sparkleclean_sb", "Sparkle Cleaning Saltby", _SV, "sparklecleaning.co.uk",
        "Domestic & holiday-let cleaning. Reliable, insured, eco products.",
        (("end of tenancy clean", "£180"), ("holiday-let changeover", "£45"),
         ("oven clean", "£55"), ("regular weekly clean", "£16 an hour")),
        "pre-Christmas deep cleans",
        ("We're hiring cleaners! £12.50 an hour, flexible hours. DM us or apply online {url}",),
        services=True, role="cleaner", promo_rate=2.0, personal_rate=0.8, since=2020,
    ),
    _Business(
        "fitbyfemi", "Fit by Femi", _SV, "fitbyfemi.co.uk",
        "Personal trainer. Small-group bootcamps on Saltby beach.",
        (("1:1 session", "£35"), ("beach bootcamp", "£8"), ("6-week transformation plan", "£180")),
        "January kick-start plans",
        ("Beach bootcamp every Tue & Thu 7am, £8 drop-in, first session free! "
         "DM us to book {url}",),
        services=True, promo_rate=3.0, personal_rate=2.0, since=2019,
    ),
)

MEMBERS: tuple[str, ...] = tuple(b.username for b in _MEMBERS)
"""Usernames of the community members whose timelines the file holds, in file order."""
CLUSTERS: dict[str, tuple[str, ...]] = {
    c: tuple(b.username for b in _MEMBERS if b.cluster == c) for c in (_HS, _MK, _MA, _SV)
}
"""The four loose clusters, by name."""
NEWSPAPER = "saltbygazette"
BOOSTER = "saltbychamber"
NEWCOMER = "tideandtonic"
INTRODUCER = "theloftcowork"
ADOPTERS: tuple[str, ...] = ("harbour_cafe", "saltbybrewing", "hollys_bakery", "petalandstem",
                             "elliemarshphoto", BOOSTER)
CONNECTORS: tuple[str, ...] = ("theloftcowork", "elliemarshphoto", "saltbybrewing")
MUTUAL_PAIRS: tuple[tuple[str, str], ...] = (
    ("hollys_bakery", "harbour_cafe"),
    ("petalandstem", "pageturnersbks"),
    ("marcos_veg", "cheesewheel_sb"),
    ("saltbybrewing", "senoraempanada"),
    ("purlandpine", "kilnstreet"),
    ("inkygullprints", "silverseajewels"),
    ("gareth_plumbing", "brightspark_el"),
    ("pawfectgroom", "muddypawswalks"),
    ("theloftcowork", "pixelharbour"),
    ("elliemarshphoto", "hollys_bakery"),
    ("saltbybrewing", "harbour_cafe"),
)
"""Pairs that retweet most of each other's promotional tweets."""
ONE_SIDED: tuple[tuple[str, str], ...] = (
    ("threadbare_std", "purlandpine"),
    ("dunes_hair", "saltbyyoga"),
    ("cornerdeli_sb", "cheesewheel_sb"),
    ("sudsandco", "kilnstreet"),
    ("littlebluevan", "harbour_cafe"),
    ("fitbyfemi", "saltbyyoga"),
    ("sparkleclean_sb", "theloftcowork"),
    ("doodledunne", "elliemarshphoto"),
    (BOOSTER, "hollys_bakery"),
    (BOOSTER, "petalandstem"),
    (BOOSTER, "pageturnersbks"),
    (BOOSTER, "fenwicksbutcher"),
    (BOOSTER, "mcbride_acctnts"),
    (BOOSTER, "cornerdeli_sb"),
    (BOOSTER, "bayviewbnb"),
    (BOOSTER, "marcos_veg"),
    (BOOSTER, "crabandcreel"),
)
"""(supporter, supported): the supporter retweets most promotions and gets none back."""
FADING_PAIR: tuple[str, str] = ("wickhamcandles", "honeycombbees")
FADING_FROM = datetime(2026, 10, 26, tzinfo=timezone.utc)
"""From this Monday on, only the first account of ``FADING_PAIR`` retweets the second."""
SELF_RETWEETERS: dict[str, float] = {
    "hollys_bakery": 0.2,
    "saltbybrewing": 0.25,
    "threadbare_std": 0.35,
    "fitbyfemi": 0.3,
    "senoraempanada": 0.2,
    "wickhamcandles": 0.15,
}
"""Members that retweet their own promotions, with the share they retweet."""

_NEWCOMER_POSTS_FROM = datetime(2026, 10, 19, 8, tzinfo=timezone.utc)
_NEWCOMER_OPENS = datetime(2026, 10, 26, tzinfo=timezone.utc)
_THANKERS = ("hollys_bakery", "purlandpine", "marcos_veg", "pawfectgroom", "theloftcowork",
             "kilnstreet")

# Accounts outside the community: retweeted by members, their timelines are not collected.
_OUTSIDERS: tuple[tuple[str, str, str, int], ...] = (
    ("coastfm", "Coast FM 📻", "Your local radio for the South West coast.", 2010),
    ("saltbytownfc", "Saltby Town FC ⚽", "Official account of Saltby Town Football Club.", 2011),
    ("smallbizuk", "Small Business UK", "News and campaigns for the UK's small firms.", 2009),
    ("saltbylifeboat", "Saltby Lifeboat Station", "Volunteer lifeboat crew. Emergency: 999.",
     2012),
    ("swweatherwatch", "South West Weather", "Forecasts for Devon, Cornwall & Dorset.", 2013),
    ("chef_tomhale", "Tom Hale", "Chef. Cook books. Seasonal, simple, British.", 2010),
    ("saltbycouncil", "Saltby Town Council", "Official news from Saltby Town Council.", 2012),
)

# (author, earliest day, latest day, text, link): tweets by outsiders that members retweet.
_OUTSIDER_TWEETS: tuple[tuple[str, str, str, str, str], ...] = (
    ("coastfm", "2026-09-29", "2026-10-02",
     "Traffic: the coast road is closed at Millbrook after a collision. Expect delays.", ""),
    ("coastfm", "2026-10-08", "2026-10-10",
     "We're live from Saltby Market this Saturday from 10am! Come and say hi 📻", ""),
    ("coastfm", "2026-10-20", "2026-10-21",
     "Storm warning for the South West tomorrow. Stay safe everyone 🌬️",
     "https://coastfm.co.uk/news/storm-warning"),
    ("coastfm", "2026-11-18", "2026-11-20",
     "The Saltby Christmas lights switch-on is this Saturday, 5pm on the seafront ✨", ""),
    ("saltbytownfc", "2026-10-03", "2026-10-03", "FULL TIME: Saltby Town 2-1 Hexley Rovers 💙",
     ""),
    ("saltbytownfc", "2026-10-17", "2026-10-17",
     "What a goal from Kyle Penrose 🚀 Saltby Town 1-0 Porthmere Athletic", ""),
    ("saltbytownfc", "2026-11-07", "2026-11-07",
     "FULL TIME: Saltby Town 3-3 Combe United. What a game!", ""),
    ("smallbizuk", "2026-10-05", "2026-10-07",
     "New survey: 7 in 10 small firms say energy costs are their biggest worry this winter",
     "https://smallbizuk.org/news/energy-survey-2026"),
    ("smallbizuk", "2026-10-26", "2026-10-28",
     "Small businesses are the heart of every high street. Share this if you agree 💚", ""),
    ("smallbizuk", "2026-11-09", "2026-11-11",
     "Late payment is still costing small firms billions. Our new report:",
     "https://smallbizuk.org/reports/late-payment"),
    ("saltbylifeboat", "2026-10-12", "2026-10-14",
     "Our volunteers launched twice today to help a fishing boat in difficulty. Thank you crew 🧡",
     ""),
    ("saltbylifeboat", "2026-11-02", "2026-11-04",
     "Lifeboat open day raised over £4,000! Thank you Saltby 🧡", ""),
    ("swweatherwatch", "2026-10-21", "2026-10-22",
     "Amber wind warning for the South West coast from 6pm. Gusts up to 70mph possible.",
     "https://swweatherwatch.co.uk/warnings"),
    ("swweatherwatch", "2026-11-12", "2026-11-13",
     "Frost likely tonight across the South West. Coldest night of the autumn so far ❄️", ""),
    ("chef_tomhale", "2026-10-10", "2026-10-12",
     "Proper autumn cooking: slow-braised beef, mash, red cabbage. Nothing better.", ""),
    ("chef_tomhale", "2026-11-14", "2026-11-15",
     "Spent the day in Saltby. Brilliant little town, brilliant independent food scene 👏", ""),
    ("saltbycouncil", "2026-10-27", "2026-10-29",
     "Harbour car park closes for resurfacing 2–6 November. Free parking at Mill Lane during "
     "the works.", "https://saltby.gov.uk/news/harbour-car-park"),
    ("saltbycouncil", "2026-11-16", "2026-11-17",
     "Road closures for the Christmas lights switch-on, Saturday 21 November:",
     "https://saltby.gov.uk/news/lights-switch-on"),
)

# --------------------------------------------------------------------------------------------
# Texts. Promotional templates always carry a sales cue; everything else carries none.
# --------------------------------------------------------------------------------------------

_GOODS_PROMOS: tuple[str, ...] = (
    "{Item} back in stock! Only {price} {url}",
    "Fresh {item} this week, just {price}. Order online for collection {url}",
    "Just launched: {item} 🎉 Shop now {url}",
    "{pct}% off {item} until Sunday with code {code} {url}",
    "Free local delivery on all orders over £{minimum} this week 🚚 {url}",
    "Last few {item} left at {price}. DM us to reserve yours!",
    "New in: {item}, {price}. Available online and in store {url}",
    "Weekend offer: {item} for {price} {tag} {url}",
    "Treat yourself this weekend 👉 {item} from {price}. Shop now {url}",
    "Order by Thursday for Saturday delivery: {item}, {price} {url}",
)
_SERVICE_PROMOS: tuple[str, ...] = (
    "Book your {item} online, a few slots left this week {url}",
    "{Item} from {price}. Call or DM us to book {url}",
    "New customers get {pct}% off their first {item} with code {code} {url}",
    "Now taking bookings for {month}: {item} from {price} {url}",
    "Just had a cancellation! One {item} slot free on {weekday}. DM us to grab it",
    "{Item} for {price}, book online in two minutes {tag} {url}",
)
_HIRING = (
    "We're hiring! Looking for a friendly {role} to join the team. Details here {url}",
    "We're hiring a {role} 🙌 Part-time, flexible hours. DM us if you're interested!",
)
_AUTUMN = ("Autumn offer: 10% off {item} with code AUTUMN10 {url}",)
_HALLOWEEN_GOODS = ("Halloween special 🎃 {item} for {price} this weekend only {url}",)
_HALLOWEEN_SERVICES = ("Spooky season special 🎃 {item} for {price} if you book by Saturday {url}",)
_CHRISTMAS_GOODS = (
    "Christmas pre-orders now open: {seasonal} {url}",
    "Pre-order your {seasonal} now, limited numbers {url}",
)
_CHRISTMAS_SERVICES = ("Taking bookings for {seasonal} now. DM us or book online {url}",)
_BLACK_FRIDAY = ("Early Black Friday offer: {pct}% off everything with code {code} {url}",)
_COLLAB_GOODS = (
    "Teamed up with @{partner} this week: {pct}% off {item} when you mention them! {url}",
)
_COLLAB_SERVICES = (
    "Proud to work with @{partner}. Their customers get {pct}% off a {item} this month, "
    "DM us to book",
)
_TAGS = {
    _HS: ("#ShopLocal", "#Saltby", "#SupportLocal"),
    _MK: ("#SaltbyMarket", "#ShopLocal", "#MarketDay"),
    _MA: ("#Handmade", "#ShopSmall", "#SmallBusiness"),
    _SV: ("#Saltby", "#SmallBusiness", "#SupportLocal"),
}

# (text, link or ""): personal tweets, none with a sales cue.
_PERSONAL: tuple[tuple[str, str], ...] = (
    ("What a sunrise over the harbour this morning 🌅", ""),
    ("Proud of my team today. They've worked so hard this week.", ""),
    ("Anyone else watching the match tonight? ⚽", ""),
    ("Rain, rain and more rain. Typical Saltby autumn ☔", ""),
    ("Took the dog along the beach before work. Best part of the day.", ""),
    ("Monday again. Coffee first, everything else later.", ""),
    ("Sunday roast with the family. Feeling very lucky.", ""),
    ("Grateful for this community. Honestly.", ""),
    ("The leaves on Church Lane are glorious right now 🍂", ""),
    ("Kids are back at school and the house is very quiet", ""),
    ("Does anyone else talk to their plants or is it just me? 🌱", ""),
    ("Lovely chat today with someone whose grandad used to fish out of Saltby. "
     "This is why I love what I do.", ""),
    ("Stay safe out there, the wind is wild today 🌬️", ""),
    ("Interesting read on the future of the high street",
     "https://www.bbc.co.uk/news/business-68120456"),
    ("Ten years since I started out. Where does the time go?", ""),
    ("Seals in the harbour again this morning 🦭", ""),
    ("Early night for me. What a week.", ""),
    ("That moment when the kettle boils and the first cup hits 😌", ""),
    ("Massive well done to everyone who ran the Saltby 10k today 🏃", ""),
    ("Who else has started wearing a scarf indoors? 🧣", ""),
    ("Fog so thick on the seafront you can't see the lighthouse", ""),
    ("Finally fixed the squeaky gate. Small victories.", ""),
    ("Our neighbour's cat has adopted us. We did not agree to this 🐈", ""),
    ("Lunch on the harbour wall in October sunshine. Not bad at all.", ""),
    ("Thinking of everyone affected by the flooding on Quay Road last night", ""),
    ("Missing summer already", ""),
    ("A walk up to the headland clears the head like nothing else", ""),
    ("Brilliant piece on our lifeboat crew",
     "https://saltbygazette.co.uk/news/lifeboat-crew-honoured"),
    ("Hot water bottle season has officially begun", ""),
    ("Learning to say no is a skill. Still working on it 😅", ""),
    ("Anyone know a good mechanic in town? The van is making that noise again", ""),
    ("First fire of the year lit tonight 🔥", ""),
    ("Rainbow over the bay just now 🌈", ""),
    ("Happy birthday to my mum, the hardest-working woman I know 💐", ""),
    ("School run in the rain, again. Waterproofs everywhere.", ""),
    ("The sea was like glass this morning", ""),
    ("Rain on the roof and a good cup of tea. Bliss.", ""),
    ("Really enjoyed the quiz at the Anchor last night, even though we came last 😂", ""),
    ("Big storm rolling in tonight. Batten down the hatches!", ""),
    ("Wishing a speedy recovery to our friend Jan, everyone here is thinking of you 💛", ""),
    ("Whoever left flowers on the bench by the harbour: that was a lovely thing to do", ""),
    ("Mondays are better with porridge. Fact.", ""),
    ("Good to see the town so busy this weekend", ""),
    ("Tired but happy. Long day, good day.", ""),
)
# (first day, last day, text): personal tweets that only make sense on certain days.
_DATED_PERSONAL: tuple[tuple[str, str, str], ...] = (
    ("2026-10-01", "2026-10-03", "October already?! Where did September go?"),
    ("2026-10-24", "2026-10-24", "Clocks go back tonight. Extra hour in bed 😴"),
    ("2026-10-31", "2026-10-31", "Pumpkin carving in progress 🎃"),
    ("2026-10-31", "2026-10-31", "Happy Halloween! Eleven trick-or-treaters so far 👻"),
    ("2026-11-01", "2026-11-02", "November. How?"),
    ("2026-11-05", "2026-11-06", "Fireworks over the bay were spectacular 🎆"),
    ("2026-11-08", "2026-11-08", "Remembrance Sunday. We will remember them. 🌺"),
    ("2026-11-10", "2026-11-22", "First frost of the year! Scraping the car at 7am ❄️"),
    ("2026-11-21", "2026-11-22", "The Christmas lights are on! Saltby looks magical tonight ✨"),
)
# (text, slug, first day or ""): the newspaper's stories, none with a sales cue.
_NEWS: tuple[tuple[str, str, str], ...] = (
    ("Plans approved for new footbridge across the harbour", "harbour-footbridge-approved", ""),
    ("Lifeboat crew honoured for daring rescue off the headland", "lifeboat-crew-honoured", ""),
    ("Fore Street resurfacing to start after half term", "fore-street-resurfacing", ""),
    ("Saltby Town FC through to the county cup quarter-finals", "county-cup-quarter-finals", ""),
    ("Christmas lights switch-on confirmed for Saturday 21 November", "lights-switch-on-date", ""),
    ("Seal pup spotted in the harbour delights onlookers", "seal-pup-harbour", ""),
    ("Primary school celebrates 'outstanding' report", "primary-school-report", ""),
    ("Storm damage: clean-up under way on the seafront", "storm-clean-up", "2026-10-22"),
    ("Business Awards 2026 shortlist revealed", "business-awards-shortlist", "2026-10-19"),
    ("Town council backs plan for more bike racks on Harbour Street", "bike-racks-plan", ""),
    ("Footfall on the high street up 8% on last year, figures show", "footfall-figures", ""),
    ("Coastal path reopens after landslip repairs", "coastal-path-landslip", ""),
    ("Meet the volunteers keeping Saltby's beaches clean", "beach-clean-volunteers", ""),
    ("Fishing fleet reports its best autumn in a decade", "fishing-fleet-autumn", ""),
    ("New bus timetable for Saltby and the villages from November", "bus-timetable", ""),
    ("Remembrance Sunday: hundreds gather at the war memorial", "remembrance-sunday", "2026-11-08"),
    ("Saltby's oldest resident celebrates her 104th birthday", "oldest-resident-104", ""),
    ("Flood defence work on Quay Road to finish by spring", "quay-road-flood-defences", ""),
    ("Library extends its weekend hours", "library-weekend-hours", ""),
    ("Harbour master warns of high spring tides this week", "spring-tides-warning", ""),
    ("Pupils plant 500 trees at the edge of town", "pupils-plant-trees", ""),
    ("Rugby club celebrates 125 years", "rugby-club-125", ""),
    ("Fireworks display draws record crowd to the beach", "fireworks-record-crowd", "2026-11-06"),
    ("Police appeal after bikes stolen from Mill Lane", "mill-lane-bikes-appeal", ""),
    ("Community fridge marks its first year", "community-fridge-first-year", ""),
    ("Hospital league of friends thanks fundraisers", "league-of-friends", ""),
    ("Chamber of Trade elects new chair", "chamber-new-chair", ""),
    ("Sea swimmers brave the November chill", "sea-swimmers-november", "2026-11-02"),
    ("Saltby in bloom: town wins silver gilt award", "saltby-in-bloom", ""),
    ("Car park charges to stay the same next year", "car-park-charges", ""),
)
_REPLIES_PROMO = ("Looks amazing! 😍", "These look incredible", "Gorgeous!", "Well done you 👏",
                  "Ooh yes please", "My favourites 💛", "Can't wait to see these in person")
_REPLIES_PERSONAL = ("So true!", "Ha, same here 😂", "Beautiful photo", "Well deserved 👏",
                     "Couldn't agree more", "Stay warm!", "Love this 💛", "Hope you're all okay")
_REPLIES_NEWS = ("Brilliant news for the town", "About time!", "Great to see this",
                 "Well done everyone involved")
_REPLIES_THANKS = ("Thank you so much! 💛", "Thank you 🙏", "You're too kind!", "Thanks lovely!")
_QUOTES_PROMO = ("Can't recommend these lovely people enough 👇", "Look at these beauties 😍",
                 "Our neighbours never disappoint 👇", "Proper talent right here 👏")
_QUOTES_OTHER = ("This 👇", "Couldn't have said it better", "Yes! 👏", "So proud of our town")
_SHOUTOUTS = (
    "Huge thanks to {names} for sharing our posts this week 💛 #FollowFriday",
    "Friday thank-you to {names}, your support means the world 🙏",
    "Shout-out to {names} for all the retweets this week. You're stars ⭐",
)
_DAY_WEIGHTS = {
    _HS: (1.0, 1.1, 1.1, 1.1, 1.3, 1.3, 0.6),
    _MK: (0.5, 0.6, 0.7, 1.0, 1.6, 1.8, 0.8),
    _MA: (1.0, 1.0, 1.0, 1.0, 1.1, 1.0, 1.3),
    _SV: (1.3, 1.2, 1.2, 1.2, 1.0, 0.5, 0.3),
}
_PROMO_HOURS = ((6, 1), (7, 3), (8, 4), (9, 3), (10, 2), (11, 2), (12, 3), (13, 2), (14, 1),
                (15, 1), (16, 2), (17, 3), (18, 3), (19, 2), (20, 1))
_PERSONAL_HOURS = ((6, 1), (7, 2), (8, 1), (12, 1), (13, 1), (17, 1), (18, 2), (19, 3), (20, 3),
                   (21, 2), (22, 1))
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
_ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

_TCO_RE = re.compile(r"https://t\.co/[A-Za-z0-9]{10}(?![\w…])")
_TAG_RE = re.compile(r"(?<![\w&])#(\w+)(?![\w…])")
_MENTION_RE = re.compile(r"(?<!\w)@(\w{1,15})(?![\w…])")


# --------------------------------------------------------------------------------------------
# Building the tweets
# --------------------------------------------------------------------------------------------


@dataclass
class _User:
    """An account as the API describes it."""

    id: int
    username: str
    name: str
    bio: str
    created: datetime
    tco: str
    site: str
    metrics: dict[str, int]
    image: str


@dataclass(eq=False)
class _Tweet:
    """One tweet with what the API would report about it."""

    id: int
    author: str
    created: datetime
    kind: str
    raw: str
    """The text as typed (not HTML-escaped); retweets hold the full ``RT @x: ...`` text."""
    urls: dict[str, str]
    ref_type: str | None = None
    ref: _Tweet | None = None
    reply_to: str | None = None
    root: _Tweet | None = None
    retweets: int = 0
    replies: int = 0
    quotes: int = 0
    metrics: dict[str, int] = field(default_factory=dict)


def _iso(when: datetime) -> str:
    """``when`` in the API's format, ``2026-09-28T07:15:02.000Z``."""
    return when.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _day(text: str) -> datetime:
    """Midnight UTC of an ISO date."""
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def _count(rng: random.Random, mean: float) -> int:
    """A whole number of posts averaging ``mean``: businesses post at a steady rate."""
    whole = int(mean)
    return whole + (rng.random() < mean - whole)


def _display(url: str) -> str:
    """The shortened form X shows for a link."""
    shown = re.sub(r"^https?://(www\.)?", "", url)
    return shown if len(shown) <= 26 else shown[:26] + "…"


def _code(name: str) -> str:
    """A discount-code stem from a business name: ``The Harbour Café`` gives ``HARBOUR``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = [re.sub(r"[^A-Za-z]", "", w).upper() for w in ascii_name.split()]
    return next(w for w in words if w and w != "THE")[:10]


def _slug(text: str) -> str:
    """A URL path segment for a product."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class _Builder:
    """Builds the community's tweets from one random generator."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.used_ids: set[int] = set()
        self.used_tco: set[str] = set()
        self.by_name = {b.username: b for b in _MEMBERS}
        self.users: dict[str, _User] = {}
        self.tweets: list[_Tweet] = []
        self.promo_log: list[tuple[datetime, str, str]] = []
        self.supported: dict[tuple[str, str], list[datetime]] = {}
        self.intro_at: datetime | None = None
        self.hired: dict[str, int] = {}
        self.said: dict[str, set[str]] = {}
        self.personal_left: dict[str, list[tuple[str, str]]] = {}
        self.news_left: list[tuple[str, str, str]] = []
        self.weights: dict[tuple[str, str], float] = {}

    # ---- identifiers ---------------------------------------------------------------------

    def snowflake(self, when: datetime) -> int:
        """A new, unused snowflake id for something created at ``when``."""
        ms = int(when.timestamp()) * 1000 + self.rng.randrange(1000)
        base = ((ms - _TWITTER_EPOCH_MS) << 22) | (self.rng.randrange(1 << 10) << 12)
        sequence = 0
        while base | sequence in self.used_ids:
            sequence += 1
        self.used_ids.add(base | sequence)
        return base | sequence

    def tco(self) -> str:
        """A new t.co short link."""
        while True:
            link = "https://t.co/" + "".join(self.rng.choice(_ALNUM) for _ in range(10))
            if link not in self.used_tco:
                self.used_tco.add(link)
                return link

    def token(self) -> str:
        """A pagination token shaped like the API's."""
        return "".join(self.rng.choice(_ALNUM[:26] + _ALNUM[52:]) for _ in range(45))

    # ---- accounts ------------------------------------------------------------------------

    def add_user(self, username: str, name: str, bio: str, year: int, site: str,
                 followers: int) -> None:
        """Register an account."""
        if year == 2026:
            created = datetime(2026, 10, 14, 11, 2, 37, tzinfo=timezone.utc)
        else:
            created = datetime(year, 1, 1, tzinfo=timezone.utc) + timedelta(
                seconds=self.rng.randrange(365 * 86400))
        if year < 2014:
            uid = self.rng.randrange(100_000_000, 2_900_000_000)
            self.used_ids.add(uid)
        else:
            uid = self.snowflake(created)
        self.users[username] = _User(
            id=uid, username=username, name=name, bio=bio, created=created,
            tco=self.tco() if site else "", site=site,
            metrics={
                "followers_count": followers,
                "following_count": self.rng.randrange(150, 1200),
                "tweet_count": self.rng.randrange(800, 25_000),
                "listed_count": self.rng.randrange(0, 40),
            },
            image=f"https://pbs.twimg.com/profile_images/{self.snowflake(created)}/"
                  f"{''.join(self.rng.choice(_ALNUM) for _ in range(8))}_normal.jpg",
        )

    def add_users(self) -> None:
        """Register every member and outsider."""
        for b in _MEMBERS:
            followers = 12_400 if b.username == NEWSPAPER else self.rng.randrange(180, 4200)
            self.add_user(b.username, b.name, b.bio, b.since, f"https://{b.domain}", followers)
        for username, name, bio, year in _OUTSIDERS:
            site = f"https://{username}.co.uk"
            self.add_user(username, name, bio, year, site, self.rng.randrange(8_000, 240_000))

    # ---- relationships -------------------------------------------------------------------

    def draw_weights(self) -> None:
        """Decide how likely each member is to retweet each other member's promotions."""
        for a in _MEMBERS:
            for b in _MEMBERS:
                chance, strength = self.rng.random(), self.rng.random()
                if a is b or a.username == NEWSPAPER:
                    continue
                if a.cluster == b.cluster:
                    w = 0.04 + 0.10 * strength if chance < 0.4 else 0.0
                elif a.username in CONNECTORS or b.username in CONNECTORS:
                    w = 0.03 + 0.07 * strength if chance < 0.25 else 0.0
                else:
                    w = 0.02 + 0.04 * strength if chance < 0.04 else 0.0
                self.weights[a.username, b.username] = w
        for a in MEMBERS:
            if a != NEWSPAPER:
                self.weights[a, NEWSPAPER] = 0.18
                self.weights[a, BOOSTER] = 0.03
                self.weights[BOOSTER, a] = max(self.weights.get((BOOSTER, a), 0.0), 0.15)
        self.weights[BOOSTER, NEWSPAPER] = 0.5
        for x, y in MUTUAL_PAIRS:
            self.weights[x, y] = 0.7 + 0.2 * self.rng.random()
            self.weights[y, x] = 0.7 + 0.2 * self.rng.random()
        for x, y in ONE_SIDED:
            self.weights[x, y] = 0.6 + 0.2 * self.rng.random()
            self.weights[y, x] = 0.0
        self.weights[FADING_PAIR] = 0.75
        self.weights[FADING_PAIR[::-1]] = 0.75

    def weight(self, a: str, b: str, when: datetime) -> float:
        """Chance that ``a`` retweets a promotion ``b`` posted at ``when``."""
        if a in (b, NEWSPAPER):
            return 0.0
        if a == NEWCOMER and when < self.users[NEWCOMER].created:
            return 0.0
        if (a, b) == FADING_PAIR[::-1] and when >= FADING_FROM:
            return 0.0
        if b == NEWCOMER:
            if a == INTRODUCER:
                return 0.8
            if a in ADOPTERS:
                started = self.intro_at is not None and when >= self.intro_at + timedelta(days=1)
                return 0.45 if started else 0.0
        if a == NEWCOMER and b in (INTRODUCER, "harbour_cafe", "saltbybrewing"):
            return 0.4 if when >= _NEWCOMER_OPENS else 0.0
        w = self.weights.get((a, b), 0.0)
        if b == NEWCOMER and (self.intro_at is None or when < self.intro_at + timedelta(days=1)):
            return 0.0
        if 0.0 < w < 0.3 and any(when - timedelta(days=10) <= t < when
                                 for t in self.supported.get((b, a), ())):
            w += 0.12
        return w

    # ---- texts ---------------------------------------------------------------------------

    def promo_text(self, b: _Business, when: datetime) -> tuple[str, str]:
        """A promotional tweet by ``b`` at ``when``: text with ``{url}`` and its target."""
        rng = self.rng
        services = b.services
        options: list[tuple[float, str]] = []
        if b.items:
            options += [(1.0, t) for t in (_SERVICE_PROMOS if services else _GOODS_PROMOS)]
        options += [(1.5, t) for t in b.specials]
        if b.role and self.hired.get(b.username, 0) < 2:
            options += [(0.3, t) for t in _HIRING]
        if b.items:
            if when < _day("2026-11-01"):
                options += [(0.8, t) for t in _AUTUMN]
            if _day("2026-10-24") <= when < _day("2026-11-01"):
                options += [(2.0, t) for t in
                            (_HALLOWEEN_SERVICES if services else _HALLOWEEN_GOODS)]
            if when >= _day("2026-11-01"):
                options += [(1.5, t) for t in
                            (_CHRISTMAS_SERVICES if services else _CHRISTMAS_GOODS)]
            if when >= _day("2026-11-16"):
                options += [(1.0, t) for t in _BLACK_FRIDAY]
            if self.partners(b.username):
                options += [(0.4, t) for t in (_COLLAB_SERVICES if services else _COLLAB_GOODS)]
        said = self.said.setdefault(b.username, set())
        for _ in range(20):
            template = rng.choices([t for _, t in options], [w for w, _ in options])[0]
            item, price = rng.choice(b.items) if b.items else ("", "")
            pct = rng.choice((10, 15, 20, 25))
            partners = self.partners(b.username)
            text = template.format(
                item=item, Item=item[:1].upper() + item[1:], price=price, pct=pct,
                code=_code(b.name) + str(pct),
                minimum=rng.choice((20, 25, 30, 40)), seasonal=b.seasonal,
                Seasonal=b.seasonal[:1].upper() + b.seasonal[1:], role=b.role,
                month="November" if when.month == 10 else "December",
                weekday=rng.choice(_WEEKDAYS), tag=rng.choice(_TAGS[b.cluster]),
                partner=rng.choice(partners) if partners else "", url="{url}",
            )
            if "{item}" not in template and "{Item}" not in template and rng.random() < 0.25:
                text = text.replace(" {url}", f" {rng.choice(_TAGS[b.cluster])} {{url}}")
            if text not in said:
                break
        said.add(text)
        if template in _HIRING:
            self.hired[b.username] = self.hired.get(b.username, 0) + 1
        if "{item}" in template or "{Item}" in template:
            path = "/shop/" + _slug(item) if not services else "/book/" + _slug(item)
        elif template in _HIRING:
            path = "/jobs"
        elif "{seasonal}" in template or "{Seasonal}" in template:
            path = "/christmas"
        else:
            path = rng.choice(("/", "/shop", "/book", "/whats-on"))
        if rng.random() < 0.2:
            path += "?utm_source=twitter&utm_medium=social"
        return text, f"https://{b.domain}{path}" if "{url}" in text else ""

    def partners(self, username: str) -> list[str]:
        """The member's mutual partners, who appear in collaboration tweets."""
        found = [y for x, y in MUTUAL_PAIRS if x == username]
        return found + [x for x, y in MUTUAL_PAIRS if y == username]

    def personal_text(self, username: str, when: datetime) -> tuple[str, str]:
        """A personal tweet, and the link it carries or ``""``."""
        said = self.said.setdefault(username, set())
        dated = [text for first, last, text in _DATED_PERSONAL
                 if _day(first) <= when < _day(last) + timedelta(days=1) and text not in said]
        if dated and self.rng.random() < 0.6:
            text = self.rng.choice(dated)
            said.add(text)
            return text, ""
        left = self.personal_left.get(username)
        if not left:
            left = list(_PERSONAL)
            self.rng.shuffle(left)
            self.personal_left[username] = left
        text, link = left.pop()
        said.add(text)
        return text, link

    def news_text(self, when: datetime) -> tuple[str, str]:
        """The newspaper's next story that can have happened by ``when``, and its link."""
        if not self.news_left:
            self.news_left = list(_NEWS)
            self.rng.shuffle(self.news_left)
        ready = [n for n in self.news_left if not n[2] or _day(n[2]) <= when]
        story = ready[-1] if ready else self.rng.choice([n for n in _NEWS if not n[2]])
        if story in self.news_left:
            self.news_left.remove(story)
        return story[0], f"https://saltbygazette.co.uk/news/{story[1]}"

    # ---- tweets --------------------------------------------------------------------------

    def post(self, author: str, when: datetime, kind: str, text: str, link: str = "",
             **links: Any) -> _Tweet:
        """Add an original tweet; ``{url}`` in ``text`` becomes a t.co link to ``link``."""
        urls: dict[str, str] = {}
        if link:
            short = self.tco()
            text = text.replace("{url}", short) if "{url}" in text else f"{text} {short}"
            urls[short] = link
        text = text.replace(" {url}", "").replace("{url}", "")
        tweet = _Tweet(self.snowflake(when), author, when, kind, text, urls,
                       **links)
        self.tweets.append(tweet)
        return tweet

    def retweet(self, who: str, original: _Tweet, when: datetime) -> _Tweet:
        """Add ``who``'s retweet of ``original``."""
        original.retweets += 1
        raw = f"RT @{original.author}: {original.raw}"
        tweet = _Tweet(self.snowflake(when), who, when, "retweet", raw, original.urls,
                       ref_type="retweeted", ref=original)
        self.tweets.append(tweet)
        if original.kind == "promo":
            self.promo_log.append((when, who, original.author))
            self.supported.setdefault((who, original.author), []).append(when)
        return tweet

    def reply(self, who: str, target: _Tweet, when: datetime, text: str) -> _Tweet:
        """Add ``who``'s reply to ``target``."""
        target.replies += 1
        root = target.root or target
        tweet = _Tweet(self.snowflake(when), who, when, "reply", f"@{target.author} {text}", {},
                       ref_type="replied_to", ref=target,
                       reply_to=target.author, root=root)
        self.tweets.append(tweet)
        return tweet

    def quote(self, who: str, target: _Tweet, when: datetime, text: str) -> _Tweet:
        """Add ``who``'s quote tweet of ``target``."""
        target.quotes += 1
        short = self.tco()
        link = f"https://twitter.com/{target.author}/status/{target.id}"
        tweet = _Tweet(self.snowflake(when), who, when, "quote", f"{text} {short}",
                       {short: link}, ref_type="quoted", ref=target)
        self.tweets.append(tweet)
        return tweet

    def at(self, day: datetime, hours: Sequence[tuple[int, int]]) -> datetime:
        """A time on ``day`` drawn from weighted hours."""
        hour = self.rng.choices([h for h, _ in hours], [w for _, w in hours])[0]
        return day + timedelta(hours=hour, minutes=self.rng.randrange(60),
                               seconds=self.rng.randrange(60))

    def later(self, when: datetime, mean_minutes: float) -> datetime:
        """A reaction time after ``when``: usually within hours, sometimes days later."""
        delay = timedelta(minutes=2 + self.rng.expovariate(1 / mean_minutes))
        if self.rng.random() < 0.12:
            delay += timedelta(hours=self.rng.uniform(20, 70))
        moment = (when + delay).replace(microsecond=0)
        if moment.hour < 6:
            moment = moment.replace(hour=6 + self.rng.randrange(2), minute=self.rng.randrange(60))
        return moment

    def post_originals(self) -> list[_Tweet]:
        """Every member's promotional, personal and news tweets, oldest first."""
        posted: list[_Tweet] = []
        for b in _MEMBERS:
            for week in range(_WEEKS):
                monday = WINDOW_START + timedelta(weeks=week)
                plan = [("promo", _PROMO_HOURS)] * _count(self.rng, _VOLUME * b.promo_rate)
                plan += [("personal", _PERSONAL_HOURS)] * _count(
                    self.rng, _VOLUME * b.personal_rate)
                for kind, hours in plan:
                    day = self.rng.choices(range(7), _DAY_WEIGHTS[b.cluster])[0]
                    when = self.at(monday + timedelta(days=day), hours)
                    if b.username == NEWCOMER and when < _NEWCOMER_OPENS + timedelta(days=1):
                        continue
                    if kind == "promo":
                        text, link = self.promo_text(b, when)
                    elif b.username == NEWSPAPER:
                        kind = "news"
                        text, link = self.news_text(when)
                    else:
                        text, link = self.personal_text(b.username, when)
                    posted.append(self.post(b.username, when, kind, text, link))
        opening = (
            ("2026-10-19T18:05:11", "Something new is coming to Harbour Street… 🍸 "
             "Opening night Monday 26th, pre-book your table {url}", "/book"),
            ("2026-10-22T12:40:51", "Opening night is nearly fully booked! A few tables left "
             "for Monday, book now {url}", "/book"),
            ("2026-10-26T10:02:09", "We're NOW OPEN on Harbour Street! 🍸 Cocktails from £7, "
             "small plates from £6. Walk in or book a table {url}", "/"),
        )
        for stamp, text, path in opening:
            when = datetime.fromisoformat(stamp).replace(tzinfo=timezone.utc)
            posted.append(self.post(NEWCOMER, when, "promo", text,
                                    f"https://tideandtonic.co.uk{path}"))
        return sorted(posted, key=lambda t: t.id)

    def react(self, originals: list[_Tweet]) -> None:
        """Members retweet, quote and reply to each other's tweets, in time order."""
        rng = self.rng
        for original in originals:
            b = original.author
            for a in MEMBERS:
                if a == b:
                    if original.kind == "promo" and rng.random() < SELF_RETWEETERS.get(a, 0.0):
                        when = original.created + timedelta(hours=rng.uniform(20, 70))
                        if when <= WINDOW_END:
                            self.retweet(a, original, when)
                    continue
                if a == NEWSPAPER or (a == NEWCOMER and original.created < _NEWCOMER_POSTS_FROM):
                    continue
                w = self.weight(a, b, original.created)
                same = self.by_name[a].cluster == self.by_name[b].cluster
                if original.kind == "promo":
                    p_rt = w
                    p_reply = 0.03 if w > 0.3 else 0.01 if w > 0 else 0.002 if same else 0.0
                    p_quote = 0.03 if w > 0.3 else 0.01 if w > 0 else 0.0
                elif original.kind == "news":
                    p_rt = 0.15 if a == BOOSTER else 0.04
                    p_reply, p_quote = 0.01, 0.005
                else:
                    p_rt = 0.2 * w + (0.015 if same else 0.003)
                    p_reply = 0.06 if w > 0.3 else 0.02 if w > 0 else 0.004 if same else 0.0
                    p_quote = 0.005 if w > 0 else 0.0
                draw = rng.random()
                if draw < p_rt:
                    when = self.later(original.created, 90 if w > 0.3 else 240)
                    if when <= WINDOW_END:
                        self.retweet(a, original, when)
                    if b == NEWCOMER and a == INTRODUCER and self.intro_at is None:
                        self.intro_at = when
                elif draw < p_rt + p_reply:
                    self.add_reply(a, original)
                elif draw < p_rt + p_reply + p_quote:
                    when = self.later(original.created, 120)
                    if when <= WINDOW_END:
                        pool = _QUOTES_PROMO if original.kind == "promo" and b != NEWSPAPER else \
                            _QUOTES_OTHER
                        self.quote(a, original, when, rng.choice(pool))

    def add_reply(self, who: str, original: _Tweet) -> None:
        """``who`` replies to ``original``; its author sometimes thanks them."""
        rng = self.rng
        if original.author == NEWSPAPER:
            pool = _REPLIES_NEWS
        else:
            pool = _REPLIES_PROMO if original.kind == "promo" else _REPLIES_PERSONAL
        when = self.later(original.created, 60)
        if when > WINDOW_END:
            return
        answer = self.reply(who, original, when, rng.choice(pool))
        if original.author != NEWSPAPER and rng.random() < 0.35:
            when = self.later(when, 45)
            if when <= WINDOW_END:
                self.reply(original.author, answer, when, rng.choice(_REPLIES_THANKS))

    def thank(self) -> None:
        """Some members thank the week's supporters on Fridays; the thanked may retweet it."""
        rng = self.rng
        for username in _THANKERS:
            for week in range(_WEEKS):
                friday = WINDOW_START + timedelta(weeks=week, days=4)
                when = friday + timedelta(hours=16, seconds=rng.randrange(7200))
                counts: dict[str, int] = {}
                for t, who, author in self.promo_log:
                    if author == username and who != username and friday - timedelta(
                            days=4) <= t < when:
                        counts[who] = counts.get(who, 0) + 1
                if not counts or rng.random() > 0.7:
                    continue
                top = sorted(counts, key=lambda u: (-counts[u], u))[:3]
                names = [f"@{u}" for u in top]
                joined = " and ".join([", ".join(names[:-1]), names[-1]] if names[1:] else names)
                shout = self.post(username, when, "shoutout",
                                  rng.choice(_SHOUTOUTS).format(names=joined))
                for u in top:
                    moment = self.later(when, 60)
                    if rng.random() < 0.3 and moment <= WINDOW_END:
                        self.retweet(u, shout, moment)

    def share_outsiders(self) -> None:
        """Members retweet accounts outside the community."""
        rng = self.rng
        affinity = {"coastfm": _MK, "saltbytownfc": _HS, "smallbizuk": _SV,
                    "chef_tomhale": _MK, "swweatherwatch": _SV}
        for author, first, last, text, link in _OUTSIDER_TWEETS:
            span = (_day(last) - _day(first)).days + 1
            when = self.at(_day(first) + timedelta(days=rng.randrange(span)), _PROMO_HOURS)
            tweet = self.post(author, when, "external", text, link)
            for b in _MEMBERS:
                if b.username == NEWSPAPER or (b.username == NEWCOMER and when < _NEWCOMER_OPENS):
                    continue
                p = 0.12 if affinity.get(author) == b.cluster else 0.04
                if rng.random() < p:
                    moment = self.later(when, 180)
                    if moment <= WINDOW_END:
                        self.retweet(b.username, tweet, moment)

    def settle_metrics(self) -> None:
        """Engagement counts as they stood when the timelines were collected."""
        rng = self.rng
        for t in self.tweets:
            if t.kind == "retweet":
                continue
            extra = {"external": 40, "news": 6}.get(t.kind, 2)
            retweets = t.retweets + rng.randrange(extra + 1)
            t.metrics = {
                "retweet_count": retweets,
                "reply_count": t.replies,
                "like_count": 2 * retweets + rng.randrange(3 * extra + 4),
                "quote_count": t.quotes,
            }
        for t in self.tweets:
            if t.kind == "retweet" and t.ref is not None:
                t.metrics = {"retweet_count": t.ref.metrics["retweet_count"], "reply_count": 0,
                             "like_count": 0, "quote_count": 0}

    def build(self) -> None:
        """Create every account and tweet."""
        self.add_users()
        self.draw_weights()
        self.react(self.post_originals())
        self.thank()
        self.share_outsiders()
        self.settle_metrics()


# --------------------------------------------------------------------------------------------
# Rendering API pages
# --------------------------------------------------------------------------------------------

_EXPANSIONS = ("author_id,in_reply_to_user_id,referenced_tweets.id,referenced_tweets.id.author_id,"
               "entities.mentions.username,attachments.poll_ids,attachments.media_keys,"
               "geo.place_id")
_USER_FIELDS = ("created_at,description,entities,id,location,name,pinned_tweet_id,"
                "profile_image_url,protected,public_metrics,url,username,verified,withheld")
_TWEET_FIELDS = ("attachments,author_id,context_annotations,conversation_id,created_at,"
                 "entities,geo,id,in_reply_to_user_id,lang,"
                 "public_metrics,text,possibly_sensitive,referenced_tweets,reply_settings,"
                 "withheld")
_MEDIA_FIELDS = ("duration_ms,height,media_key,preview_image_url,type,url,width,public_metrics")
_POLL_FIELDS = "duration_minutes,end_datetime,id,options,voting_status"
_PLACE_FIELDS = "contained_within,country,country_code,full_name,geo,id,name,place_type"


def _timeline_url(user_id: int, token: str | None) -> str:
    """The request twarc2 makes for one page of a user's timeline."""
    params = [
        ("expansions", _EXPANSIONS), ("user.fields", _USER_FIELDS),
        ("tweet.fields", _TWEET_FIELDS), ("media.fields", _MEDIA_FIELDS),
        ("poll.fields", _POLL_FIELDS), ("place.fields", _PLACE_FIELDS),
        ("start_time", "2026-09-28T00:00:00+00:00"), ("end_time", "2026-11-23T00:00:00+00:00"),
        ("max_results", "100"),
    ]
    if token:
        params.append(("pagination_token", token))
    encoded = "&".join(
        f"{k}={v.replace(',', '%2C').replace(':', '%3A').replace('+', '%2B')}" for k, v in params
    )
    return f"https://api.twitter.com/2/users/{user_id}/tweets?{encoded}"


def _text(t: _Tweet) -> str:
    """The tweet text as the API returns it: retweets truncated, HTML-escaped."""
    raw = t.raw
    if t.kind == "retweet" and len(raw) > 140:
        raw = raw[:139] + "…"
    return html.escape(raw, quote=False)


def _entities(text: str, urls: dict[str, str], users: dict[str, _User]) -> dict[str, Any]:
    """The ``entities`` object for ``text``."""
    found: dict[str, Any] = {}
    tags = [{"start": m.start(), "end": m.end(), "tag": m.group(1)}
            for m in _TAG_RE.finditer(text)]
    mentions = [{"start": m.start(), "end": m.end(), "username": m.group(1),
                 "id": str(users[m.group(1)].id)}
                for m in _MENTION_RE.finditer(text) if m.group(1) in users]
    links = [{"start": m.start(), "end": m.end(), "url": m.group(0),
              "expanded_url": urls[m.group(0)], "display_url": _display(urls[m.group(0)])}
             for m in _TCO_RE.finditer(text) if m.group(0) in urls]
    if tags:
        found["hashtags"] = tags
    if mentions:
        found["mentions"] = mentions
    if links:
        found["urls"] = links
    return found


def _tweet_json(t: _Tweet, users: dict[str, _User]) -> dict[str, Any]:
    """The API's JSON object for a tweet."""
    text = _text(t)
    obj: dict[str, Any] = {
        "id": str(t.id),
        "text": text,
        "author_id": str(users[t.author].id),
        "created_at": _iso(t.created),
        "conversation_id": str((t.root or t).id),
        "lang": "en",
        "possibly_sensitive": False,
        "reply_settings": "everyone",
        "public_metrics": dict(t.metrics),
    }
    entities = _entities(text, t.urls, users)
    if entities:
        obj["entities"] = entities
    if t.ref is not None and t.ref_type is not None:
        obj["referenced_tweets"] = [{"type": t.ref_type, "id": str(t.ref.id)}]
    if t.reply_to is not None:
        obj["in_reply_to_user_id"] = str(users[t.reply_to].id)
    return obj


def _user_json(u: _User, location: str) -> dict[str, Any]:
    """The API's JSON object for an account."""
    obj: dict[str, Any] = {
        "id": str(u.id),
        "name": u.name,
        "username": u.username,
        "created_at": _iso(u.created),
        "description": u.bio,
        "location": location,
        "protected": False,
        "verified": False,
        "url": u.tco,
    }
    if u.tco:
        obj["entities"] = {"url": {"urls": [{
            "start": 0, "end": len(u.tco), "url": u.tco, "expanded_url": u.site,
            "display_url": _display(u.site)}]}}
    obj["public_metrics"] = dict(u.metrics)
    obj["profile_image_url"] = u.image
    return obj


def _page(tweets: list[_Tweet], users: dict[str, _User]) -> dict[str, Any]:
    """One response page (without ``meta`` and ``__twarc``) for tweets, newest first."""
    data = [_tweet_json(t, users) for t in tweets]
    names: list[str] = []
    refs: list[_Tweet] = []
    for t, obj in zip(tweets, data, strict=True):
        mentioned = [m["username"] for m in obj.get("entities", {}).get("mentions", [])]
        for name in [t.author, *mentioned, *([t.reply_to] if t.reply_to else [])]:
            if name not in names:
                names.append(name)
        if t.ref is not None and t.ref not in refs:
            refs.append(t.ref)
    for r in refs:
        if r.author not in names:
            names.append(r.author)
    outsiders = {o[0] for o in _OUTSIDERS}
    includes: dict[str, Any] = {
        "users": [_user_json(users[n], "South West England" if n in outsiders else "Saltby")
                  for n in names],
    }
    if refs:
        includes["tweets"] = [_tweet_json(r, users) for r in refs]
    return {"data": data, "includes": includes}


def _render(builder: _Builder) -> list[dict[str, Any]]:
    """Every member's timeline as pages, with one page fetched twice."""
    rng = builder.rng
    users = builder.users
    pages: list[dict[str, Any]] = []
    retrieved = _COLLECTED_AT
    duplicated = False
    for username in MEMBERS:
        own = sorted((t for t in builder.tweets
                      if t.author == username and WINDOW_START <= t.created <= WINDOW_END),
                     key=lambda t: -t.id)
        chunks = [own[i:i + _PAGE_SIZE] for i in range(0, len(own), _PAGE_SIZE)]
        tokens = [builder.token() for _ in chunks]
        for i, chunk in enumerate(chunks):
            page = _page(chunk, users)
            meta: dict[str, Any] = {"newest_id": str(chunk[0].id), "oldest_id": str(chunk[-1].id),
                                    "result_count": len(chunk)}
            if i + 1 < len(chunks):
                meta["next_token"] = tokens[i + 1]
            if i > 0:
                meta["previous_token"] = tokens[i - 1]
            page["meta"] = meta
            retrieved += timedelta(seconds=1 + rng.randrange(2))
            url = _timeline_url(users[username].id, tokens[i] if i else None)
            page["__twarc"] = {"url": url, "version": _TWARC_VERSION,
                               "retrieved_at": retrieved.strftime("%Y-%m-%dT%H:%M:%S+00:00")}
            pages.append(page)
            if not duplicated and i == 1:
                # The collection was interrupted here and resumed from this page.
                duplicated = True
                retrieved += timedelta(minutes=15, seconds=rng.randrange(60))
                again = json.loads(json.dumps(page))
                again["__twarc"]["retrieved_at"] = retrieved.strftime("%Y-%m-%dT%H:%M:%S+00:00")
                pages.append(again)
        retrieved += timedelta(seconds=1)
    return pages


def _built(seed: int) -> _Builder:
    """The community built from ``seed``."""
    builder = _Builder(seed)
    builder.build()
    return builder


def generate(seed: int = DEFAULT_SEED) -> list[dict[str, Any]]:
    """Generate the example community as twarc2 response pages.

    Parameters
    ----------
    seed : int
        Seed for the random generator; the committed file uses the default.

    Returns
    -------
    list of dict
        One X API v2 timeline response page per element, in file order, each with
        ``data``, ``includes``, ``meta`` and ``__twarc``. One page appears twice.

    Examples
    --------
    >>> pages = generate()
    >>> pages == generate()
    True
    >>> sorted(pages[0])
    ['__twarc', 'data', 'includes', 'meta']
    """
    return _render(_built(seed))


def tweet_kinds(seed: int = DEFAULT_SEED) -> dict[str, str]:
    """What each tweet in the generated pages is, by tweet id.

    Parameters
    ----------
    seed : int
        The seed given to `generate`.

    Returns
    -------
    dict of str to str
        Tweet id to one of ``"promo"`` (promotional), ``"personal"``, ``"news"`` (the
        newspaper's stories), ``"shoutout"`` (thanking supporters), ``"external"`` (by an
        account outside the community), ``"retweet"``, ``"quote"`` or ``"reply"``.

    Examples
    --------
    >>> kinds = tweet_kinds()
    >>> sorted(set(kinds.values()))  # doctest: +NORMALIZE_WHITESPACE
    ['external', 'news', 'personal', 'promo', 'quote', 'reply', 'retweet', 'shoutout']
    """
    return {str(t.id): t.kind for t in _built(seed).tweets}


def _write(pages: list[dict[str, Any]], path: Path) -> None:
    """Write pages as JSONL, one page a line."""
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for page in pages:
            out.write(json.dumps(page, ensure_ascii=False, separators=(",", ":")) + "\n")


def main(argv: Sequence[str] | None = None) -> None:
    """Write the example community to a JSONL file (``examples/community.jsonl`` by default)."""
    parser = argparse.ArgumentParser(description="Generate the example SME community as "
                                                 "twarc2 JSONL.")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT,
                        help="where to write the JSONL (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help="random seed (default: %(default)s)")
    args = parser.parse_args(argv)
    _write(generate(args.seed), args.output)


if __name__ == "__main__":
    main()
