"""Demo articles: fictional research news written for Kindred's demo site.

The studies, drugs and journals are invented; the DOIs use the 10.5555 test prefix.
"""

SECTIONS = [
    ("Research", "research", "What the laboratories are finding, explained plainly."),
    (
        "Clinical trials",
        "clinical-trials",
        "Trials that are recruiting, running or reporting.",
    ),
    (
        "Living with ALS",
        "living-with-als",
        "Practical knowledge from people who live it.",
    ),
    ("Community", "community", "News from our readers, groups and events."),
]

TAGS = [
    "Gene therapy",
    "SOD1",
    "C9orf72",
    "Biomarkers",
    "Eye-gaze",
    "Assistive technology",
    "Caregiving",
    "Breathing",
    "Nutrition",
    "Trial access",
    "Stem cells",
    "Genetics",
]

# (title, section slug, tags, days ago, summary, study (title, journal, doi) or None, body)
# A negative "days ago" schedules the article in the future; None makes it a draft.
ARTICLES = [
    (
        "Antisense drug slows decline in people with SOD1 mutations, two-year data show",
        "research",
        ["Gene therapy", "SOD1", "Biomarkers"],
        1,
        "Two years into an open-label extension, people who started veltrasen early "
        "lost function more slowly than those who started a year later.",
        (
            "Early versus delayed veltrasen in SOD1-ALS: 104-week results",
            "Annals of Motor Neuron Science",
            "10.5555/kindred.2026.0141",
        ),
        """Researchers in Lyon, Toronto and São Paulo followed 108 people with ALS caused
by a change in the *SOD1* gene. Everyone received veltrasen, an antisense drug given
into the spinal fluid every four weeks; half had started a year before the others.

## What they found

After two years the early group had lost on average 6.1 points on the ALS functional
rating scale, against 9.8 points for the delayed group. Levels of neurofilament light,
a protein released by damaged nerve cells, fell by about half within six months of
starting treatment in both groups.

> "Starting early matters. The blood marker moves first, and function follows," said
> the study's lead neurologist.

## What it means

- The results apply to *SOD1*-ALS, about 2 in 100 people with ALS.
- The extension had no placebo group, so the comparison is between early and late starters.
- Headaches and back pain after the injections were the most common side effects.

Several countries are now deciding whether to fund genetic testing for everyone
diagnosed with ALS, so that people with *SOD1* changes can be offered treatment early.""",
    ),
    (
        "Blood test could spot ALS progression months before symptoms change",
        "research",
        ["Biomarkers"],
        4,
        "A panel of three proteins measured in ordinary blood samples tracked how "
        "quickly the disease progressed in a cohort of 640 people.",
        (
            "A three-protein blood panel predicts functional decline in ALS",
            "Neuromuscular Research Letters",
            "10.5555/kindred.2026.0118",
        ),
        """A simple blood draw may one day tell a clinic how fast someone's ALS is
progressing, without waiting for strength or speech to change.

The team measured neurofilament light, a muscle protein and a marker of inflammation
in 640 people every three months for a year and a half. Combined, the three predicted
who would lose function quickly with an accuracy the authors call "clinically useful".

## Why it matters for trials

Trials need hundreds of participants partly because ALS varies so much from person to
person. A blood panel that sorts people by expected speed of progression could let
smaller trials give clearer answers, sooner.

## And for diagnosis?

Not yet. The panel was tested only in people already diagnosed, and diagnosis still
takes about a year on average. Readers have told us about being sent first to a
shoulder surgeon, a speech therapist, or an ear specialist who suspected Ménière's
disease. A marker that shortened that wait would matter as much as one that tracks
progression, and several groups are now looking for one.

The panel is not yet available outside research. The authors want to repeat the study
in a second, independent group before any clinic relies on it.""",
    ),
    (
        "Phase 3 trial of corasemab opens at 40 sites, including home visits",
        "clinical-trials",
        ["Trial access"],
        6,
        "The trial will enrol 480 adults diagnosed within the last two years, and "
        "nurses can give most infusions at home.",
        (
            "CORAL-3: a randomised, placebo-controlled phase 3 trial of corasemab",
            "Trial registry entry",
            "10.5555/kindred.2026.0102",
        ),
        """Corasemab, an antibody meant to calm the immune cells that crowd around
damaged motor neurons, has started its largest trial yet.

## Who can take part

- Adults diagnosed with ALS in the past 24 months
- Able to swallow tablets or with a feeding tube in place
- Breathing capacity above 60 percent of the expected value

## What taking part involves

Participants receive an infusion every two weeks for a year. Two in three get the drug
and one in three a placebo, and after the year everyone can receive the drug. Unlike
most trials, nurses can give most infusions at home: only the first visit and one visit
every three months happen at the trial site.

Readers told us travel was the biggest barrier to joining trials. Home visits will not
remove it, but they should make it smaller.""",
    ),
    (
        "Why some trials stop early: reading the fine print of a futility analysis",
        "clinical-trials",
        ["Trial access"],
        9,
        "When a trial is halted for futility it does not always mean the drug failed "
        "everyone. We asked two statisticians to explain.",
        (
            "NRX-114 in ALS: interim analysis and recommendation of the data "
            "monitoring committee",
            "Clinical Trials in Neurodegeneration",
            "10.5555/kindred.2026.0127",
        ),
        """Last month the NRX-114 trial was stopped after an interim look at the data
found that it was unlikely to show a benefit. Many of you wrote in angry, some in
grief, asking how a drug that seemed to help a relative could be called futile.

## What futility means

Before a trial starts, the researchers write down how they will judge it halfway. If
the difference between drug and placebo is so small that even a perfect second half
could not make it significant, continuing would expose people to risk for nothing.

## What it does not mean

A futility stop says the drug did not help the *average* participant enough. It cannot
rule out that it helped a smaller group, for example people with a particular gene.
Those questions need new trials, designed for them.

Both statisticians agreed on one thing: the trial's full data should be published, so
that everyone can look for those groups.""",
    ),
    (
        "Eye-gaze keyboards compared: what our readers actually use",
        "living-with-als",
        ["Eye-gaze", "Assistive technology"],
        2,
        "Two hundred readers answered our survey about eye-gaze typing. Dwell time, "
        "calibration and glasses came up again and again.",
        (
            "Eye-gaze communication in ALS: use, abandonment and unmet needs in "
            "212 users",
            "Augmentative Communication Quarterly",
            "10.5555/kindred.2026.0133",
        ),
        """When speech and hands get harder, many people type with their eyes. We asked
readers which systems they use and what they wish someone had told them sooner.

Their answers match a study published this month, which followed 212 eye-gaze users in
Spain, Brazil and Canada for a year: one in four stopped using their device, most often
in the first two months, and mostly because nobody had adjusted it to them.

## Dwell time is personal

Most systems "click" when you look at a key for a set time. Half of the people who
answered had changed that time at least three times. Start slow, they said: a short
dwell time is fast when you are fresh and exhausting when you are tired.

## Calibrate often

- After changing glasses or the position of the screen
- When the light in the room changes a lot
- Whenever accuracy drops: it takes a minute and saves an afternoon

## Prediction saves the most effort

Word prediction, and phrases saved in advance ("Please reposition my head", "I need a
break"), mattered more to our readers than the brand of the camera. Several wrote that
they prepare long messages in the morning and paste them later in the day.""",
    ),
    (
        "Breathing support at night: when to ask about non-invasive ventilation",
        "living-with-als",
        ["Breathing"],
        12,
        "Morning headaches, broken sleep and breathlessness lying flat can be early "
        "signs. A respiratory nurse answers readers' questions.",
        (
            "Timing of non-invasive ventilation and survival in ALS: a cohort study",
            "Respiratory Care in Neurology",
            "10.5555/kindred.2025.0977",
        ),
        """Non-invasive ventilation (NIV) pushes air gently through a mask, usually at
night. Studies consistently find that people who start it at the right time live longer
and sleep better.

## Signs worth mentioning to your team

- Waking with a headache, or waking often
- Feeling breathless when lying flat
- Daytime sleepiness that is new

## Readers' questions

**Will I become dependent on it?** NIV supports weakened muscles; it does not weaken
them further. Many people use it only at night for a long time.

**What if the mask is uncomfortable?** There are several shapes. Ask to try another:
comfort decides whether people keep using it.""",
    ),
    (
        "Eating well when swallowing gets harder",
        "living-with-als",
        ["Nutrition", "Caregiving"],
        16,
        "Weight loss speeds up ALS. A dietitian explains high-calorie tricks, texture "
        "changes and how to talk about a feeding tube early.",
        (
            "High-calorie nutrition and weight stability in ALS: a randomised trial",
            "Clinical Nutrition in Neurology",
            "10.5555/kindred.2025.0951",
        ),
        """Keeping weight up is one of the few things shown to matter for how ALS
progresses, and it is hard when meals take an hour and swallowing is tiring.

In a trial of 201 people published last autumn, those given an extra 400 calories a
day, mostly as fat, kept their weight stable for six months, while the comparison
group lost on average three kilos. The trial was too short to show an effect on
survival, but the dietitians we spoke to now start the conversation about calories at
diagnosis rather than when weight has already gone.

## Small changes that help

- Add calories without volume: olive oil, butter, cream, nut butters
- Thicken thin drinks if they make you cough
- Eat the largest meal when you have the most energy, often in the morning

## Talking about a feeding tube

A feeding tube is easier to place while breathing is still strong. Deciding early does
not mean using it early: many people keep eating by mouth for pleasure and use the tube
for fluids and extra calories.

> "Food is more than fuel. The tube took away the fear of every meal, and I still have
> my coffee at the café on Saturdays," one reader wrote.

Ask your clinic for a dietitian who knows ALS; a speech and language therapist can
assess swallowing and suggest safer textures.""",
    ),
    (
        "C9orf72: what a positive genetic test means for your family",
        "research",
        ["C9orf72", "Genetics"],
        20,
        "The most common genetic cause of ALS is also linked to frontotemporal "
        "dementia. A genetic counsellor explains what a result can and cannot tell you.",
        (
            "Penetrance and age at onset in C9orf72 expansion carriers: a study of "
            "94 families",
            "Neurogenetics Open",
            "10.5555/kindred.2025.0932",
        ),
        """A change in the *C9orf72* gene is found in roughly one in ten people with ALS,
including some with no family history at all.

A family study published this autumn followed 94 families over two decades. Among
relatives who carried the change, about half had developed ALS, frontotemporal
dementia or both by the age of 70, and the age at which illness began varied by more
than thirty years within the same family.

## What a result can tell you

It can explain why ALS happened, make you eligible for gene-targeted trials, and tell
relatives they *may* carry the same change.

## What it cannot tell you

Not everyone who carries the change becomes ill, and nobody can predict when. Relatives
can choose whether to be tested; many decide not to, and that choice deserves respect.

## Talking to your family

- There is no right moment; many people wait until the result is confirmed.
- Children under 18 are usually not tested unless there is a medical reason.
- Life and travel insurance rules differ by country: ask a counsellor before relatives
  decide.

Genetic counselling before and after testing is free in most countries for people with
ALS. Ask your clinic for a referral before the blood is drawn.""",
    ),
    (
        "Stem cell clinics abroad: questions to ask before you pay",
        "research",
        ["Stem cells", "Trial access"],
        25,
        "Clinics charging tens of thousands for unproven stem cell injections are "
        "advertising to our community again. Here is how to judge a claim.",
        (
            "Unproven stem cell interventions marketed to people with ALS: an "
            "analysis of 61 clinic websites",
            "Journal of Medical Ethics and Regulation",
            "10.5555/kindred.2025.0918",
        ),
        """Every few months a clinic somewhere offers stem cell "treatment" for ALS, often
with moving videos and a price above 30,000 euros. We understand why people go: waiting
for trials feels unbearable. But there are questions worth asking first.

1. Is the treatment part of a registered trial? If so, you should not be paying for it.
2. What exactly is injected, and where? "Stem cells" is not a description.
3. Will they share results, including people who did not improve?
4. Who pays if something goes wrong after you come home?

A review of 61 clinic websites published last year found that none linked to a
published result, most quoted a price only after a "medical assessment" by video call,
and a third described ALS as "treatable" or "reversible".

Real stem cell research for ALS is happening, in registered trials. Our trial listings
are updated every week.""",
    ),
    (
        "Caregivers find their voice: a survey of 300 families",
        "community",
        ["Caregiving"],
        30,
        "Most caregivers are spouses, most work, and most say nobody asked how they "
        "were doing. Their advice to newly diagnosed families.",
        (
            "Caregiver burden and unmet needs in ALS: a survey of 312 families",
            "Palliative and Supportive Care Research",
            "10.5555/kindred.2025.0889",
        ),
        """We asked readers who care for someone with ALS what they needed and what
they wish they had known. More than 300 families answered.

## Three findings

- Two in three caregivers were still working, often full-time.
- Most had never been asked by a professional how *they* were coping.
- Practical help (a night's sleep, someone to handle the paperwork) was valued above
  everything else.

## Their advice

"Accept help when it is offered and be specific about what you need." "Apply for
equipment before you need it; the waiting lists are long." "Keep something that is
just yours."

Our caregivers' forum is open to everyone, with or without an account.""",
    ),
    (
        "Reader meetup in Porto raises funds for communication devices",
        "community",
        ["Assistive technology"],
        35,
        "Forty readers met in Porto for a weekend of talks, music and a charity "
        "auction that paid for six loan devices.",
        None,
        """A weekend that started as a forum thread ended with six eye-gaze devices for
the regional loan library. Forty readers came to Porto, some by train from Lisbon and
Vigo, several with their whole families.

The café where the first meeting was held donated the room, and a local choir sang in
the evening. "It was the first time I met people who understood without explanation,"
one reader wrote afterwards.

## What the money bought

The auction raised a little over 19,000 euros: enough for six eye-gaze devices with
mounts, and a year of training visits from an occupational therapist. The first two
devices went out on loan the following week, to a teacher in Braga and a retired
fisherman in Aveiro.

The organisers have written up what worked, from accessible venues to the auction, for
anyone who wants to hold a meetup in their own city.""",
    ),
    (
        "Exercise and ALS: what the evidence says about staying active",
        "living-with-als",
        ["Breathing"],
        41,
        "Moderate, supervised exercise appears safe and may help mood and function. "
        "Exhaustion is the signal to stop.",
        (
            "Supervised moderate exercise in early ALS: a randomised trial",
            "Journal of Rehabilitation in Neuromuscular Disease",
            "10.5555/kindred.2025.0903",
        ),
        """For years people with ALS were told to rest. Newer trials suggest moderate,
supervised exercise is safe in the early stages and helps mood and daily function.

## What counts as moderate

You should be able to talk while exercising, and feel recovered within a few hours.
Cramping or fatigue that lasts into the next day means the session was too hard.

## Good options

- Stationary cycling or walking, with rests
- Gentle stretching to prevent stiffness
- Water exercise, where the pool is warm and help is nearby

## What the trial found

In the trial, 96 people in the first two years after diagnosis were assigned either to
three supervised sessions a week for six months or to usual care. The exercise group
reported better mood and a little less fatigue, and lost function no faster than the
comparison group. Nobody was harmed, although two people stopped because of cramps.

Ask a physiotherapist to set the level with you, and to lower it as things change.""",
    ),
    (
        "Naïve or hopeful? Readers debate right-to-try laws",
        "community",
        ["Trial access"],
        48,
        "Should people with ALS be able to take drugs that have passed only early "
        "safety trials? Our readers disagree, sometimes fiercely.",
        (
            "Expanded access requests in ALS, 2019-2025: who asked and who received",
            "Health Policy and Rare Disease",
            "10.5555/kindred.2025.0874",
        ),
        """Right-to-try laws let people with a terminal illness ask for drugs that have
passed only the first safety trials. We asked readers what they think.

Some argued that with a disease this fast, waiting for proof is a luxury they do not
have. Others worried that early access empties trials, so that nobody ever finds out
whether a drug works. Several pointed out that access is rarely the only barrier:
companies can refuse, and insurers rarely pay.

A study of requests made between 2019 and 2025 supports them: of 418 requests for
early access to an ALS drug, fewer than a third were granted, and people treated at
large university hospitals were twice as likely to receive the drug as those treated
elsewhere.

We publish a selection of the answers below and leave the discussion open. Please keep
it kind: everyone here wants the same thing.""",
    ),
    (
        "Gene therapy for C9orf72 enters first human study",
        "clinical-trials",
        ["C9orf72", "Gene therapy"],
        -3,
        "Twelve participants will receive a one-time treatment designed to silence "
        "the toxic form of the gene.",
        (
            "AURORA-C9: a first-in-human study of an AAV-delivered microRNA "
            "targeting C9orf72",
            "Trial registry entry",
            "10.5555/kindred.2026.0150",
        ),
        """A first study of a one-time gene therapy for *C9orf72*-ALS will begin
enrolling this winter at three hospitals, in Leiden, Montréal and Boston.

The treatment, called lumiravec, uses a harmless virus to carry instructions into
nerve cells. Those instructions make the cells produce a short piece of RNA that
silences the faulty copy of the gene while leaving the healthy copy working, at least
in laboratory studies and in mice.

## Who can take part

- Adults with a confirmed *C9orf72* expansion and symptoms of ALS
- Able to walk, with or without a stick
- Breathing capacity above 65 percent of the expected value

## What taking part involves

The treatment is given once, by lumbar puncture under light sedation, followed by a
week in hospital and visits every month for two years. There is no placebo group: the
study's purpose is to find a safe dose, not to prove that the treatment works.

> "Twelve people is a small start, and nobody should expect a cure from a safety
> study," said the coordinating investigator. "But it is the start we have waited for."

We will report when the first results are presented, probably in about eighteen
months.""",
    ),
    (
        "A day in the life of an ALS trial nurse",
        "clinical-trials",
        ["Trial access"],
        None,
        "What a trial visit really involves, from the nurse's side: early trains, "
        "cold coffee and a lot of paperwork.",
        (
            "Participant burden in ALS trials: a time-and-motion study of 1,200 visits",
            "Clinical Trials in Neurodegeneration",
            "10.5555/kindred.2025.0860",
        ),
        """Marta has coordinated ALS trials for eleven years. Her day starts at seven,
when the first participant's family calls from the train.

## Notes to expand before publication

- The average visit lasts five hours, two of them spent waiting (see the study).
- What she wishes sponsors understood: every extra blood draw is a morning lost.
- Her advice for a first visit: bring a charger for the communication device.

Photos still needed; check quotes with Marta.""",
    ),
]
