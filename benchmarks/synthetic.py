"""Synthetic twarc2 JSONL in the real X API v2 shape, at any size, for benchmarks.

The community is a set of small businesses in towns. Each account has a trade (bakery,
plumber, florist ...), a town, a heavy-tailed activity (how much it retweets) and popularity
(how much it is retweeted and how many tweets it writes). Most retweets stay in the
retweeter's town; a share go to popular accounts anywhere. A retweet is often returned a few
hundred retweets later (the author retweets one of the retweeter's promotions), which gives the
reciprocity of a real community. About half of the tweets each account writes are promotional
(offers, prices, codes, links, "get a quote", places and times, in many forms); the rest are
personal. Texts are composed from several hundred templates and words, so they vary as real
ones do.

Pages hold 100 retweets with ``includes.users`` (retweeters and authors) and
``includes.tweets`` (the retweeted originals) in the shape twarc2 writes (``__twarc`` and
``meta`` included; each page with its own ``retrieved_at``, so that every page's accounts are
sightings at a new time, as in a file twarc fetched). Everything derives from the seed and
is made as it is written: memory does not grow with the number of retweets (a few arrays
per account, and two bounded caches).
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import random
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

import orjson

END = datetime(2026, 11, 30, tzinfo=timezone.utc)
"""The end of the synthetic data: a Monday, so the last full ISO week is 2026-W48."""
WEEKS = 26
START = END - timedelta(weeks=WEEKS)
RETRIEVED = END + timedelta(hours=9)
"""When the first page was fetched; each later one a second after the one before."""
PERIOD = (END - START).total_seconds()

USER_BASE = 1_000_000_000
"""Account ``i`` has the X id ``USER_BASE + 7919 * i``."""
TWEET_BASE = 1_500_000_000_000_000_000
"""Original ``j`` of account ``i`` has the id ``TWEET_BASE + i * MAX_TWEETS + j``."""
RETWEET_BASE = 1_900_000_000_000_000_000
MAX_TWEETS = 4096

PLACES = (
    "Saltby", "Harrowgate", "Kettleford", "Marsden", "Ambleside", "Whitcombe", "Penrith",
    "Holmfirth", "Ashbourne", "Bakewell", "Ludlow", "Settle", "Hebden Bridge", "Otley",
    "Malton", "Thirsk", "Helmsley", "Richmond", "Skipton", "Ilkley", "Knaresborough", "Tadcaster",
    "Wetherby", "Pickering", "Whitby", "Scarborough", "Filey", "Beverley", "Howden", "Selby",
    "Goole", "Driffield", "Pocklington", "Masham", "Leyburn", "Hawes", "Sedbergh", "Kendal",
    "Ulverston", "Keswick", "Cockermouth", "Alnwick", "Rothbury", "Hexham", "Morpeth",
    "Brampton", "Appleby", "Kirkby Stephen",
)  # fmt: skip
STREETS = (
    "High Street", "Market Place", "Harbour Street", "Bridge Street", "Church Lane", "Mill Road",
    "Station Road", "King Street", "the market hall", "the old post office", "Castle Street",
    "the arcade", "Water Lane", "the square",
)  # fmt: skip
TRADES = {
    "bakery": ("sourdough loaves", "almond croissants", "sticky buns", "birthday cakes",
               "mince pies", "cinnamon swirls", "seeded rye", "brownies"),
    "cafe": ("flat whites", "breakfast baps", "pumpkin spice lattes", "scones", "toasties",
             "hot chocolates", "brunch boards", "iced coffees"),
    "florist": ("Christmas wreaths", "wedding bouquets", "Mother's Day bouquets", "peonies",
                "dried flower posies", "house plants", "funeral tributes", "sunflowers"),
    "plumbing": ("boiler services", "bathroom fits", "emergency call-outs", "radiator flushes",
                 "gas safety checks", "leak repairs", "kitchen installs", "heat pumps"),
    "brewery": ("Christmas ale", "pale ale cans", "stout", "taproom tours", "gift packs",
                "mixed cases", "IPA", "winter porter"),
    "bookshop": ("signed copies", "book bundles", "gift cards", "children's story time",
                 "author evenings", "crime novels", "cookbooks", "book club places"),
    "candles": ("soy candles", "wax melts", "reed diffusers", "gift boxes", "tealight sets",
                "seasonal scents", "candle workshops", "room sprays"),
    "yoga": ("beginners' courses", "drop-in classes", "class passes", "retreat places",
             "pilates mats", "private sessions", "pregnancy yoga", "sound baths"),
    "accountant": ("tax returns", "bookkeeping packages", "payroll", "VAT returns",
                   "year-end accounts", "free consultations", "self assessment",
                   "company formations"),
    "grooming": ("puppy trims", "full grooms", "nail clips", "de-shedding treatments",
                 "bath and brush", "hand stripping", "cat grooms", "gift vouchers"),
    "photography": ("family shoots", "wedding packages", "headshots", "pet portraits",
                    "mini sessions", "prints", "product photos", "Christmas cards"),
    "knitwear": ("chunky knit blankets", "beanies", "baby cardigans", "yarn kits",
                 "knitting classes", "scarves", "tea cosies", "Christmas jumpers"),
    "butcher": ("sausages", "Christmas turkeys", "BBQ packs", "dry-aged steaks",
                "meat boxes", "pork pies", "lamb shoulders", "bacon"),
    "salon": ("cut and blow-dries", "balayage", "gift vouchers", "bridal hair",
              "men's cuts", "keratin treatments", "colour appointments", "brow shapes"),
    "cheese": ("cheese boards", "Christmas hampers", "Stilton", "local cheddars",
               "cheese and wine nights", "gift boxes", "chutneys", "blue cheeses"),
    "garage": ("MOTs", "winter checks", "tyre fitting", "car services", "air con regas",
               "brake checks", "diagnostics", "courtesy cars"),
    "cowork": ("hot desks", "meeting rooms", "day passes", "dedicated desks", "tours",
               "virtual offices", "event space", "monthly memberships"),
    "gift shop": ("advent calendars", "stocking fillers", "handmade cards", "local prints",
                  "jewellery", "gift wrapping", "tote bags", "ceramics"),
    "deli": ("olive oils", "antipasti boxes", "fresh pasta", "picnic hampers",
             "Italian wines", "panettone", "sandwich lunches", "charcuterie"),
    "electrician": ("rewires", "EV charger installs", "fuse board upgrades", "PAT testing",
                    "smart lighting", "security lights", "electrical checks", "call-outs"),
}  # fmt: skip
TRADE_NAMES = tuple(TRADES)
FIRST = (
    "holly", "bea", "sam", "ellie", "tom", "maya", "jack", "rosie", "finn", "isla", "noah",
    "ava", "olly", "lucy", "ben", "grace", "alfie", "freya", "harry", "poppy", "leo", "daisy",
    "arlo", "millie", "theo", "ivy", "jude", "elsie", "max", "nell",
)  # fmt: skip
SHOP_WORDS = (
    "Oak", "Willow", "Harbour", "Hill", "Corner", "Old Mill", "Riverside", "Little", "Bluebell",
    "Copper", "Fern", "Maple", "Bramble", "Hawthorn", "Saffron", "Salt", "Heather", "Juniper",
)  # fmt: skip
EMOJI = ("", "", "", " 🎉", " 💛", " 🙌", " ✨", " 🎄", " 🍂", " 🌸", " ☕", " 👉", " 😊", " 🔥")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WHEN = (
    "this weekend", "this Saturday", "from Friday", "until Sunday", "all week", "today only",
    "tomorrow", "next week", "this month", "before Christmas", "while stocks last",
    "from 9am", "10am-4pm", "from 8 till late", "on the 14th", "every Thursday",
)  # fmt: skip

PROMO_TEMPLATES = (
    "{Product} now available to order online {url}",
    "{pct}% off {product} {when} with code {code}{emoji}",
    "Use code {code} for {pct}% off everything {when}{emoji}",
    "{Product} from just £{price} {when}. Order here {url}",
    "{Product} only £{price}! Pop in to {street}, {place} {when}{emoji}",
    "Christmas orders now open! {Product} from £{price}, order by {day} {url}",
    "Get a quote for {product} today, free and no obligation {url}",
    "Looking for {product} in {place}? Get a free quote: call {phone}",
    "Book now: {product} {when}, a few slots left{emoji} {url}",
    "We have slots {day} and {day2} for {product}. Give us a ring on {phone}!",
    "FREE delivery across {place} on orders over £{price} {when}{emoji} {url}",
    "Back in stock: {product}! Be quick, they won't last{emoji} {url}",
    "New in: {product}. Shop the range online {url}",
    "Don't miss our {product} offer: 2 for £{price} {when}",
    "SALE {when}: up to {pct}% off {product} {url}",
    "Order by {day} for {day2} delivery: {product}, £{price} {url}",
    "{Product} at the {place} market {when}, {time}. Come and say hello{emoji}",
    "Tickets for our {product} evening on {date} are on sale now! £{price} {url}",
    "We're open {when} {time} on {street}, {place}. {Product} and more{emoji}",
    "Treat someone: gift vouchers for {product} from £{price} {url}",
    "Limited spaces left for {product} {when}. DM us to book{emoji}",
    "Just {count} {product} left at £{price}, link in bio",
    "Need {product}? Same-week service across {place}, call {phone} or book {url}",
    "Pre-order your {product} now for collection {when} {url}",
    "Our {product} are back {when}! £{price} each or {count} for £{price2}",
    "Special offer {when}: {product} for £{price} (was £{price2}) {url}",
    "Flash sale! {pct}% off {product} until midnight, code {code} {url}",
    "Get {pct}% off your first order of {product} when you sign up {url}",
    "Now taking bookings for {product} in {month}. Enquire today {url}",
    "Open late {day}: {product}, mulled wine and {pct}% off {time}{emoji}",
    "Visit us at {street}, {place} for {product}. Open {time} {when}",
    "Shop local this Christmas: {product} from £{price} at {street}{emoji} {url}",
    "Call {phone} for a free quote on {product}. Fully insured, {count} years' experience",
    "Last chance! {Product} offer ends {day}: save £{pct} {url}",
    "{Product} £{price} | free click and collect {when} | {url}",
    "Fancy {product}? Order online for delivery in {place} and nearby {url}",
    "Spend £{price} and get free {product} {when}, in store and online {url}",
    "We're hiring! Part-time help with {product} on weekends. Apply by email or pop in",
    "Restocked the {product} 🧺 Etsy link below {url}",
    "Grab your {product} before the weekend rush: click and collect {url}",
)
PERSONAL_TEMPLATES = (
    "Lovely walk on the beach at {place} this morning with the dog{emoji}",
    "Absolutely shattered. Long week but not complaining{emoji}",
    "Huge thanks to @{friend} and @{friend2} for sharing our posts this week 💛 #FollowFriday",
    "#FollowFriday @{friend} @{friend2} @{friend3}, brilliant local businesses, show them love",
    "Congratulations to @{friend} on opening their new shop in {place}! 🎉",
    "First frost of the year! Scraping the car at {hour}am ❄️",
    "Anyone know a good {trade} near {place}? Asking for a friend",
    "Can't believe it's {month} already. Where has the year gone?",
    "Our own dog {pet} turned {count} today 🎂🐾 Spoiled rotten obviously",
    "Reading a great book on the history of {topic}. Highly recommend it",
    "Went to {place} for the day and came home with three plants. Classic.",
    "Rain again in {place}. Perfect excuse for a cuppa and a biscuit ☔",
    "What a match last night! Still buzzing{emoji}",
    "Happy birthday to our wonderful {role} {name}! We'd be lost without you 🎈",
    "Thank you {place} for the best year yet. We love this community 💛",
    "Paid £{price} for a coffee in London today. I'm clearly in the wrong part of the country 😂",
    "Just finished my own tax return. Never again will I leave it till {month}",
    "Sunday off. Sofa, blanket, {topic} documentary. Bliss",
    "Brilliant evening at the {place} small business meet-up, great to see familiar faces",
    "Gas prices are going to finish off half the high street if this carries on {url}",
    "Shout out to the lovely team at @{friend} for looking after us today",
    "Who else is watching the {topic} final tonight?",
    "{Name} from next door brought us soup when we were all ill. {place} people are the best",
    "Ten years on {street} this month. Thank you to everyone who has ever popped in",
    "Sunrise over {place} on the way in this morning. Worth the early start{emoji}",
    "Proper autumn day in {place}, leaves everywhere 🍂",
    "Interesting read on small businesses and the cost of living {url}",
    "Does anyone else talk to their plants or is it just me",
    "Took the kids to {place} castle, legs are done in",
    "Bramble the shop cat has claimed the window display again 🐈",
)
TOPICS = ("bread", "tea", "the railways", "cheese", "gardening", "baking", "football", "rugby")
PETS = ("Bramble", "Biscuit", "Pickle", "Murphy", "Willow", "Pepper", "Hector", "Nutmeg")
ROLES = ("manager", "baker", "apprentice", "barista", "stylist", "engineer", "assistant")
MONTHS = ("January", "March", "May", "June", "September", "October", "November", "December")
NEWS = ("https://www.bbc.co.uk/news/business-", "https://www.theguardian.com/business/2026/")
MARKETS = ("https://www.etsy.com/uk/shop/", "https://www.eventbrite.co.uk/e/")

SOURCE_URL = (
    "https://api.twitter.com/2/users/{id}/tweets?expansions=author_id%2Creferenced_tweets.id"
    "%2Creferenced_tweets.id.author_id%2Centities.mentions.username&tweet.fields=author_id"
    "%2Cconversation_id%2Ccreated_at%2Centities%2Cid%2Clang%2Cpublic_metrics%2Ctext"
    "%2Cpossibly_sensitive%2Creferenced_tweets%2Creply_settings&user.fields=created_at"
    "%2Cdescription%2Centities%2Cid%2Clocation%2Cname%2Cprofile_image_url%2Cprotected"
    "%2Cpublic_metrics%2Curl%2Cusername%2Cverified&max_results=100"
)


def _stamp(moment: datetime) -> str:
    return moment.replace(tzinfo=None, microsecond=0).isoformat() + ".000Z"


def _at(seconds: float) -> str:
    return _stamp(START + timedelta(seconds=seconds))


def user_id(account: int) -> int:
    """The X id of account ``account``."""
    return USER_BASE + 7919 * account


class Community:
    """The accounts of a synthetic community and the tweets they write, derived from a seed."""

    def __init__(self, accounts: int, seed: int = 1, originals: int | None = None) -> None:
        self.accounts = accounts
        self.seed = seed
        rng = random.Random(seed)
        # Heavy tails: a few accounts retweet (activity) and are retweeted (popularity) a lot.
        activity = [min(rng.paretovariate(1.4), 400.0) for _ in range(accounts)]
        popularity = [min(rng.paretovariate(1.2), 600.0) for _ in range(accounts)]
        self.activity_cum = list(itertools.accumulate(activity))
        self.popularity_cum = list(itertools.accumulate(popularity))
        total = self.popularity_cum[-1]
        wanted = originals if originals is not None else 3 * accounts
        # How many tweets each account writes over the period: in proportion to popularity.
        self.tweets = [max(2, min(MAX_TWEETS, round(p / total * wanted))) for p in popularity]
        # Towns: consecutive blocks of 40 to 400 accounts.
        self.town_start: list[int] = []
        start = 0
        while start < accounts:
            self.town_start.append(start)
            start += rng.randint(40, 400)
        self.town_start.append(accounts)
        self._user = lru_cache(maxsize=50_000)(self._make_user)
        self._original = lru_cache(maxsize=100_000)(self._make_original)

    def town(self, account: int) -> tuple[int, int]:
        """The accounts ``[first, end)`` of ``account``'s town."""
        k = bisect.bisect_right(self.town_start, account) - 1
        return self.town_start[k], self.town_start[k + 1]

    def pick_retweeter(self, rng: random.Random) -> int:
        return bisect.bisect_right(self.activity_cum, rng.random() * self.activity_cum[-1])

    def pick_author(self, rng: random.Random, retweeter: int, local: float) -> int:
        """An account ``retweeter`` retweets: in its town with probability ``local``."""
        cum = self.popularity_cum
        if rng.random() < local:
            first, end = self.town(retweeter)
            low = cum[first - 1] if first else 0.0
            point = low + rng.random() * (cum[end - 1] - low)
            return min(bisect.bisect_right(cum, point), end - 1)
        return min(bisect.bisect_right(cum, rng.random() * cum[-1]), self.accounts - 1)

    def is_promotional(self, account: int, j: int) -> bool:
        """Whether tweet ``j`` of ``account`` is written as a promotion (about half are)."""
        return (account * 2_654_435_761 + j * 40_503 + self.seed * 97) % 1000 < 500

    def pick_tweet(self, rng: random.Random, account: int, progress: float, promo: float) -> int:
        """A recent tweet of ``account`` at ``progress`` (0..1) through the period.

        With probability ``promo`` the newest promotional one at or before the chosen tweet.
        """
        n = self.tweets[account]
        newest = min(n - 1, int(progress * n))
        j = max(0, newest - int(rng.expovariate(1.0 / (1 + n / 20))))
        if rng.random() < promo:
            for back in range(j, max(-1, j - 8), -1):
                if self.is_promotional(account, back):
                    return back
        return j

    def username(self, account: int) -> str:
        trade = TRADE_NAMES[account % len(TRADE_NAMES)].replace(" ", "")
        return f"{FIRST[account % len(FIRST)]}s_{trade}_{account:x}"

    def user(self, account: int) -> dict:
        """The API v2 user object of ``account``."""
        return self._user(account)

    def _make_user(self, account: int) -> dict:
        rng = random.Random(self.seed * 1_000_003 + account)
        trade = TRADE_NAMES[account % len(TRADE_NAMES)]
        first, _ = self.town(account)
        place = PLACES[(first // 7) % len(PLACES)]
        uid = str(user_id(account))
        handle = self.username(account)
        site = f"https://{handle.replace('_', '')}.co.uk"
        products = TRADES[trade]
        return {
            "id": uid,
            "name": f"{rng.choice(SHOP_WORDS)} {trade.title()} {account}",
            "username": handle,
            "created_at": _stamp(datetime(2009, 1, 1, tzinfo=timezone.utc)
                                 + timedelta(days=rng.randrange(5000))),
            "description": (
                f"{rng.choice(products).capitalize()}, {rng.choice(products)} and a warm "
                f"welcome. {rng.choice(STREETS)}, {place}."
            ),
            "location": place,
            "protected": False,
            "verified": False,
            "url": "https://t.co/" + format(account, "010x"),
            "entities": {"url": {"urls": [{
                "start": 0, "end": 23, "url": "https://t.co/" + format(account, "010x"),
                "expanded_url": site, "display_url": site[8:],
            }]}},
            "public_metrics": {
                "followers_count": rng.randrange(50, 5000),
                "following_count": rng.randrange(50, 3000),
                "tweet_count": rng.randrange(100, 30000),
                "listed_count": rng.randrange(0, 80),
            },
            "profile_image_url": f"https://pbs.twimg.com/profile_images/{uid}/a_normal.jpg",
        }  # fmt: skip

    def original_id(self, account: int, j: int) -> str:
        return str(TWEET_BASE + account * MAX_TWEETS + j)

    def original_time(self, account: int, j: int) -> float:
        """Seconds after START when tweet ``j`` of ``account`` was posted."""
        n = self.tweets[account]
        return PERIOD * (j + 0.5) / n - ((account * 7 + j * 13) % 3600)

    def original(self, account: int, j: int) -> dict:
        """The API v2 tweet object of tweet ``j`` of ``account``."""
        return self._original(account, j)

    def _make_original(self, account: int, j: int) -> dict:
        rng = random.Random((self.seed * 1_000_003 + account) * MAX_TWEETS + j)
        text, url, mentions = self.text(rng, account, self.is_promotional(account, j))
        tid = self.original_id(account, j)
        entities: dict = {}
        if mentions:
            entities["mentions"] = [
                {"start": text.find("@" + name), "end": text.find("@" + name) + len(name) + 1,
                 "username": name, "id": str(user_id(other))}
                for other, name in mentions
            ]  # fmt: skip
        if "#" in text:
            at = text.find("#")
            tag = text[at + 1 :].split()[0]
            entities["hashtags"] = [{"start": at, "end": at + 1 + len(tag), "tag": tag}]
        if url:
            short = "https://t.co/" + format(int(tid) % 16**10, "010x")
            at = text.find("{url}")
            text = text.replace("{url}", short)
            entities["urls"] = [{
                "start": at, "end": at + len(short), "url": short, "expanded_url": url,
                "display_url": url.split("//", 1)[1][:25] + ("…" if len(url) > 33 else ""),
            }]  # fmt: skip
        tweet = {
            "id": tid,
            "text": text,
            "author_id": str(user_id(account)),
            "created_at": _at(max(0.0, self.original_time(account, j))),
            "conversation_id": tid,
            "lang": "en",
            "possibly_sensitive": False,
            "reply_settings": "everyone",
            "public_metrics": {
                "retweet_count": rng.randrange(0, 30),
                "reply_count": rng.randrange(0, 5),
                "like_count": rng.randrange(0, 60),
                "quote_count": 0,
            },
        }
        if entities:
            tweet["entities"] = entities
        return tweet

    def text(
        self, rng: random.Random, account: int, promotional: bool
    ) -> tuple[str, str | None, list[tuple[int, str]]]:
        """A tweet text ({url} marks the link), the link's target and the accounts mentioned."""
        trade = TRADE_NAMES[account % len(TRADE_NAMES)]
        handle = self.username(account)
        product = rng.choice(TRADES[trade])
        first, end = self.town(account)
        friends = [rng.randrange(first, end) for _ in range(3)]
        place = PLACES[(first // 7) % len(PLACES)]
        site = f"https://{handle.replace('_', '')}.co.uk"
        if promotional:
            template = rng.choice(PROMO_TEMPLATES)
            choice = rng.random()
            if choice < 0.6:
                url = f"{site}/{product.split()[-1].lower()}?utm_source=twitter"
            elif choice < 0.8:
                url = f"{rng.choice(MARKETS)}{handle}-{rng.randrange(10_000)}"
            else:
                url = site
        else:
            template = rng.choice(PERSONAL_TEMPLATES)
            url = f"{rng.choice(NEWS)}{rng.randrange(10**7)}"
        values = _Fields(rng, product, place, friends, self.username)
        text = template.format_map(values)
        mentions = [(f, self.username(f)) for f in friends if "@" + self.username(f) in text]
        if "{url}" not in text:
            url = None
        return text, url, mentions


class _Fields(dict):
    """Template fields, each drawn from ``rng`` when the template first uses it."""

    def __init__(self, rng: random.Random, product: str, place: str, friends: list[int],
                 username) -> None:  # fmt: skip
        super().__init__(product=product, Product=product[0].upper() + product[1:],
                         place=place, url="{url}")  # fmt: skip
        self.rng = rng
        self.friends = friends
        self.username = username

    def __missing__(self, key: str) -> object:
        rng = self.rng
        if key in ("price", "price2"):
            whole = rng.randrange(3, 60) if rng.random() < 0.5 else rng.randrange(5, 400)
            value: object = f"{whole + rng.choice((0, 0, 0, 0.5, 0.99, 0.2)):.2f}"
            value = str(value).removesuffix(".00")
        elif key.startswith("friend"):
            value = self.username(self.friends[int(key[6:] or 1) - 1])
        else:
            value = FIELDS[key](rng)
        self[key] = value
        return value


FIELDS = {
    "pct": lambda rng: rng.choice((10, 15, 20, 25, 30, 40, 50)),
    "code": lambda rng: rng.choice(("XMAS", "SAVE", "LOCAL", "HELLO", "WINTER", "SHOP"))
    + str(rng.choice((10, 15, 20, 25))),
    "when": lambda rng: rng.choice(WHEN),
    "day": lambda rng: rng.choice(DAYS),
    "day2": lambda rng: rng.choice(DAYS),
    "time": lambda rng: f"{rng.randrange(7, 11)}am-{rng.randrange(3, 9)}pm",
    "date": lambda rng: f"{rng.randrange(1, 29)} {rng.choice(MONTHS)[:3]}",
    "month": lambda rng: rng.choice(MONTHS),
    "street": lambda rng: rng.choice(STREETS),
    "phone": lambda rng: f"0{rng.randrange(1100, 1999)} {rng.randrange(100, 999)} "
    f"{rng.randrange(1000, 9999)}",
    "count": lambda rng: rng.randrange(2, 15),
    "emoji": lambda rng: rng.choice(EMOJI),
    "trade": lambda rng: rng.choice(TRADE_NAMES),
    "topic": lambda rng: rng.choice(TOPICS),
    "pet": lambda rng: rng.choice(PETS),
    "role": lambda rng: rng.choice(ROLES),
    "name": lambda rng: rng.choice(FIRST).title(),
    "Name": lambda rng: rng.choice(FIRST).title(),
    "hour": lambda rng: rng.randrange(5, 9),
}
"""How each template field other than product, place, price and friends is drawn."""


def classifier_calls(
    accounts: int, seed: int = 1
) -> list[tuple[str, tuple[str, ...], str, str, str]]:
    """The original tweets of a community of ``accounts`` as the importer classifies them:
    ``(text, expanded urls, username, name, profile website)`` each (most promotions link to
    the author's own site)."""
    community = Community(accounts, seed=seed)
    calls = []
    for account in range(accounts):
        user = community.user(account)
        site = user["entities"]["url"]["urls"][0]["expanded_url"]
        for j in range(community.tweets[account]):
            tweet = community.original(account, j)
            urls = tuple(u["expanded_url"] for u in tweet.get("entities", {}).get("urls", ()))
            calls.append((tweet["text"], urls, user["username"], user["name"], site))
    return calls


def pages(
    retweets: int,
    accounts: int = 10_000,
    originals: int | None = None,
    seed: int = 1,
    returned: float = 0.8,
    local: float = 0.6,
    promo: float = 0.7,
) -> Iterator[dict]:
    """Yield API v2 pages of 100 retweets each, with their originals and users included.

    Parameters
    ----------
    retweets : int
        How many retweets in all.
    accounts : int
        How many accounts in the community.
    originals : int, optional
        About how many tweets the accounts write in all (default: 3 per account).
    seed : int
        Everything derives from it.
    returned : float
        The probability that a retweet is returned: the author retweets one of the
        retweeter's tweets (a promotion with probability 0.9) a little later.
    local : float
        The probability that a retweet is of an account of the retweeter's own town.
    promo : float
        The probability that a retweet picks the author's newest promotion over any tweet.
    """
    community = Community(accounts, seed, originals)
    rng = random.Random(seed * 31 + 7)
    owed: list[tuple[int, int, int, int]] = []  # (due, order, retweeter, author) returns owed
    made = 0
    order = 0
    while made < retweets:
        data, tweets, people = [], {}, {}
        for _ in range(min(100, retweets - made)):
            progress = made / retweets
            if owed and owed[0][0] <= made:
                _, _, retweeter, author = heapq.heappop(owed)
                j = community.pick_tweet(rng, author, progress, 0.9)
            else:
                retweeter = community.pick_retweeter(rng)
                author = community.pick_author(rng, retweeter, local)
                if author == retweeter:
                    author = (author + 1) % accounts
                j = community.pick_tweet(rng, author, progress, promo)
                if rng.random() < returned:
                    order += 1
                    due = made + 1 + int(rng.expovariate(1 / 400))
                    heapq.heappush(owed, (due, order, author, retweeter))
            original = community.original(author, j)
            seconds = max(
                PERIOD * progress + rng.random() * 60,
                community.original_time(author, j) + 30 + rng.random() * 3600,
            )
            rid = str(RETWEET_BASE + made)
            handle = community.username(author)
            text = f"RT @{handle}: {original['text']}"
            entities = {
                "mentions": [
                    {"start": 3, "end": 4 + len(handle), "username": handle,
                     "id": original["author_id"]}
                ]
            }  # fmt: skip
            if "urls" in original.get("entities", {}):
                shift = len(text) - len(original["text"])
                entities["urls"] = [
                    dict(u, start=u["start"] + shift, end=u["end"] + shift)
                    for u in original["entities"]["urls"]
                ]
            data.append(
                {
                    "id": rid,
                    "text": text,
                    "author_id": str(user_id(retweeter)),
                    "created_at": _at(min(seconds, PERIOD - 1)),
                    "conversation_id": rid,
                    "lang": "en",
                    "possibly_sensitive": False,
                    "reply_settings": "everyone",
                    "public_metrics": {
                        "retweet_count": original["public_metrics"]["retweet_count"],
                        "reply_count": 0,
                        "like_count": 0,
                        "quote_count": 0,
                    },
                    "entities": entities,
                    "referenced_tweets": [{"type": "retweeted", "id": original["id"]}],
                }
            )
            tweets[original["id"]] = original
            people[retweeter] = None
            people[author] = None
            made += 1
        ids = [int(item["id"]) for item in data]
        first = next(iter(people))
        page_no = (made - len(data)) // 100
        yield {
            "data": data,
            "includes": {
                "users": [community.user(a) for a in people],
                "tweets": list(tweets.values()),
            },
            "meta": {
                "newest_id": str(max(ids)),
                "oldest_id": str(min(ids)),
                "result_count": len(data),
                "next_token": format(made, "016x"),
            },
            "__twarc": {
                "url": SOURCE_URL.format(id=user_id(first)),
                "version": "2.14.0",
                # twarc stamps each page when it fetched it: one page a second from 09:00
                "retrieved_at": (RETRIEVED + timedelta(seconds=page_no)).isoformat(),
            },
        }


def write_jsonl(path: Path, retweets: int, **kwargs: int) -> Path:
    """Write ``pages(retweets, ...)`` to ``path`` as JSON Lines and return the path."""
    with path.open("wb") as out:
        for page in pages(retweets, **kwargs):
            out.write(orjson.dumps(page) + b"\n")
    return path
