"""Statements on two hidden topics that no curated theme covers, written for the
emergent-theme tests: a clustering must keep each topic whole and tell them apart."""

ARCTIC = [
    "The Northern Sea Route will carry more cargo every summer as the Arctic ice retreats",
    "Our nuclear icebreakers keep the Northern Sea Route open for shipping all year",
    "Arctic shipping needs new icebreakers and ports along the Northern Sea Route",
    "Polar navigation on the Arctic route is safer with a modern icebreaker fleet",
    "The Arctic council should discuss shipping and icebreakers, not politics",
    "Cargo traffic on the Northern Sea Route doubled thanks to the icebreaker escorts",
    "Foreign shipping companies want icebreaker escorts through the Arctic ice",
    "The Arctic ports on the Northern Sea Route will be rebuilt for winter shipping",
]
SPACE = [
    "Cosmonauts and astronauts will keep flying together to the International Space Station",
    "The space station crew rotation depends on our rockets and the next launch",
    "Our cosmonauts trained for the joint crew flight to the space station",
    "The launch of the new crew to the International Space Station is set for March",
    "Rocket engines for the space station launch will be delivered on schedule",
    "Joint crew flights to the space station show that cosmonauts and astronauts cooperate",
    "The orbital station will need a new rocket launch to bring the crew home",
    "A cosmonaut and two astronauts will launch to the space station on one rocket",
]
OTHER = [
    "We will respond at a time of our choosing",
    "This is a matter for the courts",
    "Nobody asked for our opinion before the decision",
]
