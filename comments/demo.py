"""Demo discussions in the voice of a patient community, written for Kindred's demo.

A thread is written one comment per line, "Name: text", indented two spaces per level
of reply; "Name (guest): text" is a guest. One article also gets a long discussion,
generated deterministically from fresh sentences, so the demo shows a thread at scale.
"""

import random
import re
from datetime import timedelta

from django.utils import timezone
from django.utils.text import slugify

from comments.bulk import insert_thread

THREADS = {
    "antisense-drug-slows-decline-in-people-with-sod1-mutations-two-year-data-show": """
Fran Lindqvist: My husband has SOD1-ALS and was in the early group. His NfL halved, exactly like the article says. His hands are still weaker than last year, but the decline is slower. We are grateful and exhausted.
  Miguel Sá: Thank you for sharing, Fran. Did he have side effects from the injections?
    Fran Lindqvist: Headaches for a day after each one, and once a bad backache. He says it is worth it.
      Rosa (guest): My brother had the same backache. Lying flat for an hour afterwards helped him.
        Fran Lindqvist: We'll try that next time, thank you Rosa.
  Priya Nair: So glad to hear this. Sending strength to you both.
Tom Becker: 2 in 100. That's the part nobody puts in the headline. I don't have SOD1, and neither do most of us. I'm happy for those who do, truly, but I'm tired of being told there is hope when it isn't my hope.
  Grace Ellison: I hear you, Tom. But every drug that works teaches them something about the rest of ALS. The C9 trials exist because of this one.
    Tom Becker: Maybe. I'll believe it when they report.
      Grace Ellison: Fair. I'll keep hoping for both of us until then.
  Hannah (guest): My mother died before any of this existed. Please keep being angry, Tom, and keep being here.
Miguel Sá: Is genetic testing free in Portugal now? Our clinic said there was a waiting list of six months.
  Priya Nair: It depends on the hospital. Ask for the neurogenetics clinic directly; we got in within eight weeks that way.
  Dana Okafor: We are preparing an article on genetic testing country by country. If readers send us their waiting times we will include them.
""",
    "phase-3-trial-of-corasemab-opens-at-40-sites-including-home-visits": """
Grace Ellison: Home infusions! Whoever pushed for that, thank you. Dad gave up on the last trial because of the four-hour drive.
  Sam Reyes: It came up in almost every reader letter we forwarded to the sponsor last year. Nice to see it listened.
Priya Nair: Diagnosed 2021, so I'm already outside the 24 months. Again. The people who have waited longest are always the ones who can't get in.
  Tom Becker: Same. Every trial wants us fresh. It makes sense for the statistics and none for us.
    Grace Ellison: There is sometimes an open-label arm for people outside the criteria later. Worth asking the sponsor directly.
      Priya Nair: I have asked three sponsors. Two never answered.
  Fran Lindqvist: I'm sorry, Priya. That stings every time.
Marcus (guest): Does anyone know if the trial pays for travel for the quarterly site visits? We would need a hotel.
  Grace Ellison: For the last trial we joined, travel and one night's hotel were reimbursed, but we had to pay first and wait two months.
  Sam Reyes: The registry entry says travel is reimbursed. Ask the site coordinator for an advance if paying first is hard; some sites can arrange it.
Miguel Sá: One in three on placebo for a year. I understand why, but a year is a long time with this disease.
  Ines (guest): And then everyone gets the drug, which is more than most trials offer. I'd take those odds.
    Miguel Sá: You're right. I would take them too, honestly.
""",
    "why-some-trials-stop-early-reading-the-fine-print-of-a-futility-analysis": """
Tom Becker: Thank you for explaining this instead of just announcing it. I was furious last month. I am still furious, but now at the right thing.
Mark (guest): My wife was on NRX-114 and she was better on it. I don't care what the average says.
  Grace Ellison: I believe you, Mark. That is exactly why the full data should be published: to find the people it helped.
    Mark (guest): If they publish it. They haven't said they will.
      Sam Reyes: We have written to the sponsor asking for a date. We'll post their answer here, whatever it is.
        Mark (guest): Thank you. That's more than anyone else has done.
  Priya Nair: Could it have been the placebo effect? I ask gently. Mine felt real to me too, in another trial.
    Mark (guest): Maybe. I don't know anymore.
Fran Lindqvist: What happens to the people who were on it when it stopped? Do they just come off it?
  Dana Okafor: Usually participants are taken off the drug over a few weeks, with follow-up visits. Some sponsors continue supply for people who ask; it is worth asking in writing.
""",
    "eye-gaze-keyboards-compared-what-our-readers-actually-use": """
Grace Ellison: Dwell time! I wish I had known to change it. I spent three months thinking I was bad at this when the default was just too fast for evenings.
  Fran Lindqvist: Same here. We now have a morning profile and an evening profile.
    Jonas (guest): How do you switch profiles without help?
      Fran Lindqvist: There is a button on the home screen; we made it huge. He can reach it with a long dwell even when tired.
        Jonas (guest): Brilliant. Setting that up tonight.
Priya Nair: I am typing this with my eyes. It took me 20 minutes and I wrote it this morning. Saved phrases are everything.
  Tom Becker: Thank you for taking the time, Priya. Worth every minute.
  Miguel Sá: Twenty minutes is fast! I am still at forty. Any tips for prediction settings?
    Priya Nair: Let it learn from your emails. After two weeks it knew my words better than I did.
Ellen (guest): Does anyone use one with glasses that darken in the sun? The camera loses my father's eyes when he sits by the window.
  Miguel Sá: Yes, that's the photochromic lenses. We bought plain glasses for indoors.
Tom Becker: Nobody mentions the cost. Our insurer refused the device twice. The third appeal worked only because the speech therapist wrote a four-page letter.
  Grace Ellison: Same story here, second appeal. The magic words were "medically necessary for communication with the care team".
    Tom Becker: Noted. Someone should make a template for that letter.
      Sam Reyes: Good idea. If two or three of you share yours (names removed) we can publish a template in the forum.
""",
    "breathing-support-at-night-when-to-ask-about-non-invasive-ventilation": """
Fran Lindqvist: The morning headaches. Nobody told us they were about breathing; we thought it was stress. Two weeks on NIV and they were gone.
  Lena (guest): This is us right now. Did he sleep with the mask from the first night?
    Fran Lindqvist: No, the first week was an hour at a time while watching television. Then half the night. Be patient with it.
      Lena (guest): Thank you. I'll tell him that tonight.
Tom Becker: I resisted for months because I thought it was the beginning of the end. It wasn't. I sleep better than I have in two years.
  Grace Ellison: Thank you for saying this, Tom. My dad says exactly what you used to.
Miguel Sá: Nasal pillows instead of a full-face mask made all the difference for me. Ask to try them.
Bernard (guest): Does insurance usually cover the machine, or only rent it? We were quoted a monthly rental and I can't tell if that's normal.
  Sam Reyes: Rental is common, and often better: the rental covers servicing and replacement masks. Check whether the masks are included.
""",
    "eating-well-when-swallowing-gets-harder": """
Priya Nair: Olive oil on everything. My dietitian calls it medicine and I call it dinner.
  Fran Lindqvist: Cream in the morning porridge here. Eight kilos back in four months.
Grace Ellison: We waited too long for the feeding tube because Dad saw it as giving up. Please read the part about deciding early twice.
  Tom Becker: I am at that decision now. It helps to read that people still eat by mouth afterwards.
    Grace Ellison: Dad still has his espresso every morning. The tube is for water and the calories he can't manage.
      Tom Becker: Then maybe I can live with it.
Ana (guest): Does anyone have ideas for thickened drinks that don't taste like wallpaper paste?
  Priya Nair: Fruit smoothies thicken themselves. Cold helps too.
  Miguel Sá: Gazpacho. Perfect texture, and it tastes of summer.
""",
    "c9orf72-what-a-positive-genetic-test-means-for-your-family": """
Grace Ellison: My mother had C9. My brother and I have both decided not to be tested, for now. Thank you for writing that this choice deserves respect.
  Hannah (guest): I was tested at 32 and I carry it. Some days I wish I didn't know. Most days knowing lets me plan.
    Grace Ellison: Thank you for telling me, Hannah. I think about that choice every birthday.
  Fran Lindqvist: Respect to both of you. There is no right answer here.
Dmitri (guest): Can a positive result affect life insurance? Nobody at the clinic could answer.
  Dana Okafor: It depends on the country. Several have laws limiting insurers' use of genetic results, with exceptions for large policies. A genetic counsellor should know your local rules.
    Dmitri (guest): Thank you. I'll ask before my sister decides anything.
Tom Becker: Half by 70. So half not. I keep reading the numbers both ways.
""",
    "stem-cell-clinics-abroad-questions-to-ask-before-you-pay": """
Erin (guest): We went. 38,000 euros, two injections, a beautiful hotel. Nothing changed except our savings. I wish someone had shown us this list.
  Fran Lindqvist: I'm so sorry, Erin. Thank you for telling us; it takes courage.
  Tom Becker: Don't blame yourselves. Blame the people who sold it to you.
    Erin (guest): We try not to. Some days it works.
Miguel Sá: I understand why people go. When the trials say no, what else is there? I am not going, but I will not judge anyone who does.
  Priya Nair: Agreed. The anger should go to the clinics, and to a trial system too slow to give people another option.
    Miguel Sá: Yes. Both things are true.
Chloé (guest): A clinic contacted my father on social media after he joined an ALS group. Is that normal?
  Sam Reyes: It happens, and it's a red flag. Please report the message to the platform, and feel free to send us the clinic's name.
""",
    "caregivers-find-their-voice-a-survey-of-300-families": """
Lena (guest): Nobody ever asked how I was doing. Reading that it's two out of three of us made me cry in the car park.
  Fran Lindqvist: How are you doing, Lena? Really.
    Lena (guest): Tired. Better for being asked.
      Grace Ellison: The caregivers' forum has a Tuesday evening chat. Come, even just to read.
Priya Nair: "Keep something that is just yours" - my partner still plays football on Sundays and I insist on it.
  Tom Becker: My wife took up the cello again. I'm her only audience and I love it.
Gus (guest): Working full time and caring at night. The paperwork is what breaks me: forms for the bed, forms for the chair, forms for the forms.
  Sam Reyes: Some regions have ALS nurses who help with exactly this. Ask your clinic whether there is one near you.
  Grace Ellison: Same, Gus. I have a folder for every agency and a list of phone numbers on the fridge.
Father Anselm (guest): Caregivers carry a cross nobody sees. You are seen here. I hold you all in my prayers.
""",
    "reader-meetup-in-porto-raises-funds-for-communication-devices": """
Miguel Sá: I was there! The choir sang a fado and half the room was crying, including me.
  Fran Lindqvist: I'm so sorry we missed it. Next year, I promise.
  Ines (guest): The café owner refused to take any money for the coffee. People are good.
Grace Ellison: Could the organisers share the accessible venue checklist? We want to try this in Manchester.
  Sam Reyes: It's linked at the end of the article, and the organisers said they are happy to answer questions in the forum.
Tom Becker: Six devices is six people who can talk to their families. That's not a small thing.
""",
    "exercise-and-als-what-the-evidence-says-about-staying-active": """
Tom Becker: I was told to rest for two years. I lost so much strength doing nothing. This makes me angry.
  Grace Ellison: The advice has changed so much. My dad's physio now has him on the bike three times a week.
    Tom Becker: Good for him. I'm asking mine tomorrow.
Miguel Sá: Pool sessions are the best part of my week. In the water I can still walk.
  Priya Nair: That's beautiful, Miguel.
Erin (guest): How do you tell normal tiredness from too much? My husband always says he's fine.
  Fran Lindqvist: Our rule: if he needs an afternoon nap he didn't need before, the session was too hard.
""",
    "naive-or-hopeful-readers-debate-right-to-try-laws": """
Miguel Sá: I would take anything that passed phase 1. My ALS will not wait for phase 3.
  Grace Ellison: I understand, but if everyone does that, who is left in the trials? Then we never know.
    Miguel Sá: Then make the trials bigger and faster. Don't make us choose.
      Tom Becker: This. The choice is unfair because the system is slow, not because we are naïve.
        Grace Ellison: I agree with that. I still want the trials full.
Father Anselm (guest): I pray for everyone here, whatever you decide. Faith and science are not enemies in this.
Tom Becker: The law means nothing if the company says no. Ask me how I know.
  Priya Nair: Refused twice here: once by the company, once by the insurer.
    Tom Becker: The numbers in the article surprised nobody here, I think.
""",
}

# The long discussion.
LONG_THREAD_ARTICLE = (
    "blood-test-could-spot-als-progression-months-before-symptoms-change"
)
LONG_THREAD_SIZE = 420
MAX_DEPTH = (
    9  # ten levels: deeper than the page indents, so "Continue this thread" shows
)
TOP_OPENERS = [
    "We asked our neurologist about this yesterday.",
    "I have followed the biomarker studies for years.",
    "My sister was diagnosed in March.",
    "I work as a nurse on a neurology ward.",
    "New here: my diagnosis came two months ago.",
    "Honest question, not trying to be negative.",
    "First good news I have read this winter.",
    "Six years a caregiver, so forgive me if I sound tired.",
    "Typing with eye-gaze, so this will be short.",
    "My dad was in one of the earlier cohorts.",
    "Reading this from a hospital waiting room.",
    "I'm a statistician by training, for what it's worth.",
    "Our support group discussed this last night.",
    "",
]
TOP_POINTS = [
    "A blood draw every three months would be so much easier than a whole day of strength tests.",
    "Does the panel work for people with bulbar onset, or only limb onset?",
    "If it means smaller trials and faster answers, I am all for it.",
    "I worry that insurers will use a number like this against us.",
    "Knowing how fast it will go would help us plan the bathroom and the ramp.",
    "I am not sure I would want to know my number.",
    "640 people is a big study for ALS, and that gives me some confidence.",
    "They still have to repeat it in an independent group, so it is years away.",
    "Our clinic already measures NfL for research, and they never tell us the result.",
    "Hope is not a plan, but it gets me out of bed in the morning.",
    "Every year there is a new marker, and every year the trials still take forever.",
    "The article doesn't say whether the blood has to be processed within hours, which matters if you live far from a big hospital.",
    "My neurologist says the regulators still want to see the rating scale, whatever the blood says.",
    "If this shortened the time to diagnosis it would matter even more; mine took fourteen months.",
    "Would a fast-progression result make you eligible for more trials, or fewer?",
    "We keep every lab report in a folder in case it helps one day.",
    "I'd like to know how the inflammation marker behaves with an ordinary cold.",
    "For people in the countryside this could mean fewer long journeys to the clinic.",
    "What does 'clinically useful' mean in numbers? The article doesn't say.",
    "I pray this goes somewhere; we have prayed over a lot of headlines.",
    "My husband refuses all tests now. He only wants to know what he can change.",
    "Could this be done with the finger-prick kits some trials send home?",
    "I'm angry that a test like this might exist in five years when my mother has months.",
    "Trials that pick only slow progressors leave people like me out, and I wonder if this makes it worse.",
]
TOP_CLOSINGS = [
    "Thank you all for this community.",
    "Does anyone know if the Lisbon clinic is taking part?",
    "I'll ask at our next appointment and report back.",
    "Sending strength to everyone reading.",
    "Please correct me if I've misunderstood.",
    "Sorry for the long post.",
    "",
    "",
]
REPLY_OPENERS = [
    "{name}, I had exactly the same question.",
    "Same here, {name}.",
    "I see it differently, {name}.",
    "{name}, thank you for saying this out loud.",
    "Good point.",
    "Not quite, I think.",
    "{name}, our clinic answered this last month.",
    "I hear you.",
    "With respect, {name}, I disagree.",
    "Exactly this.",
    "Gently: that isn't quite what the study says.",
    "",
]
REPLY_POINTS = [
    "Our neurologist said the panel might reach clinics in three to five years, if the second study agrees.",
    "The insurance worry is real; here genetic results are protected by law, but blood markers are not mentioned.",
    "The study included bulbar onset, it's in the supplementary tables, but only about a fifth of the group.",
    "Knowing the speed helped us more than I expected: we ordered the wheelchair before we needed it.",
    "Not knowing is also a choice, and a valid one.",
    "Our trial coordinator said some of the new trials actually want faster progressors.",
    "My father's NfL went up before anything else changed, so I believe this.",
    "I'd rather have a slow true answer than a fast wrong one.",
    "Our hospital freezes samples the same day, so distance shouldn't matter much.",
    "The regulators have started accepting NfL in some trials, so things are moving, slowly.",
    "Fourteen months for us too. Three different specialists.",
    "You can ask for your own results; in the EU they have to give them to you.",
    "Honestly, the waiting is the worst part of all of this.",
    "I keep a spreadsheet of every result too; my family calls it my hobby.",
    "Let's not turn on each other: we all want the same thing.",
    "That's a fair worry, but the same is true of every test we already have.",
    "We asked for a copy of every result and now bring the folder to each visit.",
    "Home kits exist, but only for NfL so far, and only in two trials that I know of.",
    "I've stopped reading headlines and only read the papers now. Fewer disappointments.",
    "Faith keeps me going too, alongside the science, not instead of it.",
    "Anger is fair. Five years is too long, and everybody here knows it.",
    "Our support group has a nurse who explains results; maybe yours has one too?",
    "I asked, and Lisbon is recruiting for the repeat study.",
    "As I understood it, clinically useful means better than a coin toss by a good margin, not perfect.",
    "It's the inflammation marker I don't trust; a cold would change it.",
]
REPLY_CLOSINGS = [
    "Hang in there.",
    "Hugs from Porto.",
    "Just my experience, of course.",
    "Take care of yourself too.",
    "",
    "",
    "",
]
# Replies that stand on their own, without a point of their own.
REPLY_ALONE = [
    "{name}, may I ask where you read that?",
    "This made me cry a little, {name}. Thank you.",
    "Sending you strength, {name}.",
    "Exactly this.",
    "I was going to write the same thing, {name}.",
    "Thank you, {name}. I needed to read that today.",
    "{name}, could you ask them about the Lisbon site too?",
    "Following, because I have the same question.",
]
GUEST_NAMES = ["Ana", "Bernard", "Chloé", "Dmitri", "Erin", "Fatima", "Gus", "Ines"]
LINE = re.compile(r"(?P<indent> *)(?P<name>[^:]+?)(?P<guest> \(guest\))?: (?P<text>.+)")


def seed_discussions(articles, members, *, now=None):
    """Add the demo discussions to `articles` (a dict by slug); return comments added.

    `members` are the people who comment under their display name; everyone else in
    the threads comments as a guest.
    """
    now = now or timezone.now()
    by_name = {member.display_name: member for member in members}
    added = 0
    for slug, text in THREADS.items():
        article = articles[slug]
        rows = parse_thread(text, by_name)
        times = _times(random.Random(slug), len(rows), article.published_at, now)
        for row, created_at in zip(rows, times, strict=True):
            row["created_at"] = created_at
        added += len(insert_thread(article.discussion, rows))
    article = articles[LONG_THREAD_ARTICLE]
    readers = [member for member in members if not member.is_staff]
    rows = long_thread(readers, article.published_at, now)
    added += len(insert_thread(article.discussion, rows))
    return added


def parse_thread(text, by_name):
    """Rows for comments.bulk.insert_thread from the indented "Name: text" lines."""
    rows, ancestors = [], []
    for line in filter(str.strip, text.splitlines()):
        match = LINE.fullmatch(line)
        depth = len(match["indent"]) // 2
        if depth > len(ancestors):
            raise ValueError(f"Reply without a parent: {line!r}")
        del ancestors[depth:]
        name = match["name"]
        who = _guest(name) if match["guest"] else {"author": by_name[name]}
        parent = ancestors[-1] if ancestors else None
        rows.append({"reply_to": parent, "body": match["text"], **who})
        ancestors.append(len(rows) - 1)
    return rows


def long_thread(members, start, now):
    """A deterministic discussion of LONG_THREAD_SIZE comments, replies mostly to
    recent comments (which builds long chains), at most MAX_DEPTH deep."""
    rng = random.Random(2026)
    times = _times(rng, LONG_THREAD_SIZE, start, now)
    rows, depths, names, seen = [], [], [], set()
    for index in range(LONG_THREAD_SIZE):
        parent = None
        if index and rng.random() < 0.75:
            parent = rng.randrange(max(0, index - 12), index)
            if depths[parent] >= MAX_DEPTH:
                parent = None
        parent_name = names[parent] if parent is not None else None
        who, name = _someone(rng, members, avoid=parent_name)
        while (body := _sentence(rng, parent_name)) in seen:
            pass
        seen.add(body)
        depths.append(depths[parent] + 1 if parent is not None else 0)
        names.append(name)
        rows.append(
            {"reply_to": parent, "body": body, "created_at": times[index], **who}
        )
    return rows


def _sentence(rng, parent_name):
    if parent_name is None:
        parts = [rng.choice(TOP_OPENERS), rng.choice(TOP_POINTS)]
        parts.append(rng.choice(TOP_CLOSINGS))
    elif rng.random() < 0.15:
        parts = [rng.choice(REPLY_ALONE).format(name=parent_name)]
    else:
        opener = rng.choice(REPLY_OPENERS).format(name=parent_name)
        parts = [opener, rng.choice(REPLY_POINTS), rng.choice(REPLY_CLOSINGS)]
    return " ".join(filter(None, parts))


def _someone(rng, members, avoid):
    """A member or a guest other than `avoid` (nobody replies to themselves)."""
    while True:
        if rng.random() < 0.35:
            guest = rng.choice(GUEST_NAMES)
            who, name = _guest(guest), guest
        else:
            member = rng.choice(members)
            who, name = {"author": member}, member.display_name.split()[0]
        if name != avoid:
            return who, name


def _guest(name):
    email = f"{slugify(name.split()[-1])}@guest.kindred.example"
    return {"guest_name": name, "guest_email": email}


def _times(rng, count, start, now):
    """`count` ascending times after `start`, most of them in the first days, as a
    story's discussion goes; a reply always comes after what it answers."""
    span = min(now - start, timedelta(days=6))
    offsets = sorted(rng.random() ** 2 for _ in range(count))
    return [start + span * (0.002 + 0.996 * offset) for offset in offsets]
