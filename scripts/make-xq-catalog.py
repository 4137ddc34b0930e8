#!/usr/bin/env python3
"""Writes data/catalogs/xq-math.json: the structure of the XQ Math Badging
System (23 badges, their codes, titles and CPE/indicator counts from the
implementation guide's Appendix A). CPE codes follow the guide's form
("101a": badge number, then a letter per CPE; indicators "i", "ii", ...).
Where the guide quotes a CPE and its indicators (Table 2.1, M101's 101a and
101b) the statements are the guide's; every other statement says "District
to write:" and is replaced by the district's own wording when it loads its
catalog. The guide gives no per-CPE level descriptions, so none are set and
the scale's generic descriptions apply.
The prerequisites and pathways are an illustrative example to edit."""
import json, pathlib

BADGES = [  # code, title, CPEs, indicators, grouping
    ("M100", "Quantitative Reasoning", 8, 19, "Foundations"),
    ("M101", "Linear Equations: Concepts and Skills", 4, 10, "Algebra"),
    ("M102", "Modeling with Linear Functions and Equations", 10, 23, "Algebra"),
    ("M103", "Modeling with Functions of Quadratic Type", 9, 17, "Algebra"),
    ("M104", "Modeling with Functions of Exponential Type", 9, 17, "Algebra"),
    ("M111", "Modeling with Data: One-Variable Measurement Data", 7, 18, "Data and probability"),
    ("M112", "Modeling with Data: Two-Variable Measurement Data", 8, 20, "Data and probability"),
    ("M113", "Modeling with Probability", 6, 11, "Data and probability"),
    ("M151", "Modeling with Geometry", 8, 13, "Geometry"),
    ("M152", "Reasoning and Proof Through Congruence", 11, 25, "Geometry"),
    ("M153", "Reasoning and Proof Through Similarity", 8, 18, "Geometry"),
    ("M154", "Coordinate Geometry", 5, 12, "Geometry"),
    ("M155", "Right Triangle Trigonometry", 3, 6, "Geometry"),
    ("M201", "Function Concepts", 6, 13, "Advanced algebra"),
    ("M202", "Rational Exponents and Complex Numbers", 3, 5, "Advanced algebra"),
    ("M203", "Polynomial and Rational Expressions, Functions, and Equations", 6, 13, "Advanced algebra"),
    ("M204", "Exponential and Logarithmic Functions and Equations", 4, 12, "Advanced algebra"),
    ("M205", "Trigonometric Functions", 5, 13, "Advanced algebra"),
    ("M211", "Data Management and Visualization", 8, 17, "Data science"),
    ("M212", "Predictive Modeling", 8, 22, "Data science"),
    ("M213", "Bayesian Reasoning and Probability Theory", 5, 14, "Data science"),
    ("M214", "Statistical Error and Predictive Model Validation", 5, 16, "Data science"),
    ("M215", "Inference and Making Conclusions", 5, 17, "Data science"),
]

# Example prerequisites: a district edits these to match its courses.
PREREQUISITES = {
    "M102": ["M101"], "M103": ["M102"], "M104": ["M102"],
    "M112": ["M111"], "M113": ["M111"],
    "M152": ["M151"], "M153": ["M152"], "M154": ["M101", "M151"], "M155": ["M153"],
    "M201": ["M102"], "M202": ["M201"], "M203": ["M201", "M103"], "M204": ["M202", "M104"],
    "M205": ["M155", "M201"],
    "M211": ["M111"], "M212": ["M211", "M112"], "M213": ["M113"], "M214": ["M212"],
    "M215": ["M213", "M214"],
}

PATHWAYS = [
    ("algebra-1", "Algebra I sequence", ["M101", "M102", "M103", "M104"],
     "Linear, quadratic and exponential modeling, taught as a first-year algebra course."),
    ("algebra-2-alternative", "Algebra II alternative", ["M201", "M202", "M203", "M204"],
     "Function concepts through exponential and logarithmic functions, as a rigorous alternative to Algebra II."),
    ("geometry", "Geometry", ["M151", "M152", "M153", "M154", "M155"],
     "Modeling, proof, coordinates and right-triangle trigonometry."),
    ("modeling-with-data", "Modeling with data", ["M111", "M112", "M113"],
     "Measurement data and probability; a bridge into data science."),
    ("data-science", "Advanced data science", ["M211", "M212", "M213", "M214", "M215"],
     "Data management, prediction, Bayesian reasoning, model validation and inference."),
    ("quantitative-reasoning", "Quantitative reasoning", ["M100"],
     "Number sense and quantities in context; fits interdisciplinary and CTE courses."),
]


def split(total, parts):
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


# What the guide quotes (Table 2.1, "Example Mapping of M101 CPEs to Illinois
# Math Standards"): badge -> CPE number -> label, statement, indicators as
# (label, description) in order; indicators the guide does not quote stay
# for the district to write.
QUOTED = {
    "M101": {
        1: ("One-variable equations and inequalities",
            "Reason about and solve one-variable equations and inequalities.",
            [("Variables in expressions",
              "Use variables to represent numbers and write expressions when solving a real-world or mathematical problem."),
             ("What a variable can stand for",
              "Demonstrate understanding that a variable can represent an unknown number or, depending on the purpose at hand, any number in a specified set.")]),
        2: ("Word problems with linear expressions, equations and inequalities",
            "Solve real-life and mathematical word problems using linear expressions, equations, and inequalities.",
            [("Multi-step problems with rational numbers",
              "Solve multi-step real-life and mathematical problems posed with positive and negative rational numbers in any form while using tools strategically.")]),
    },
}

ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"]
LETTERS = "abcdefghijk"


def cpe(code, title, i, n_ind):
    cpe_code = f"{code[1:]}{LETTERS[i - 1]}"  # the guide's "101a"
    label, statement, quoted = QUOTED.get(code, {}).get(i, (
        f"{code} CPE {i}",
        f"District to write: expectation {cpe_code} of {code} {title}.",
        []))
    indicators = []
    for k in range(n_ind):
        if k < len(quoted):
            ind_label, description = quoted[k]
        else:
            ind_label = f"Indicator {cpe_code} {ROMAN[k]}"
            description = "District to write: a kind of task that shows this expectation."
        indicators.append({"id": f"{code}.{i}.{LETTERS[k]}", "code": ROMAN[k],
                           "label": ind_label, "description": description})
    return {"id": f"{code}.{i}", "code": cpe_code, "label": label, "statement": statement,
            "kind": "content", "indicators": indicators}


def badge(code, title, n_cpes, n_indicators, grouping):
    cpes = [cpe(code, title, i, n_ind)
            for i, n_ind in enumerate(split(n_indicators, n_cpes), start=1)]
    return {
        "code": code, "title": title,
        "description": f"{title}: {n_cpes} content and practice expectations, {n_indicators} indicators.",
        "grouping": grouping,
        "prerequisites": PREREQUISITES.get(code, []),
        "award_rule": {"quorum": "all", "min_evidence_per_cpe": 1,
                       "required_evidence_kinds": ["performance_task"],
                       "prerequisites_earned": True},
        "cpes": cpes,
    }


catalog = {
    "format": "cairn-catalog",
    "format_version": 1,
    "framework": {"id": "xq-math", "title": "XQ Math Badging System (structure)",
                  "version": "example-1", "publisher": "Cairn example catalog"},
    "scales": [
        {"id": "mastery-4", "title": "Four-level proficiency", "levels": [
            {"id": "not_yet", "label": "Not yet", "score": 1, "mastery": False,
             "description": "The work does not yet show this expectation; feedback says what to try next."},
            {"id": "emerging", "label": "Emerging", "score": 2, "mastery": False,
             "description": "Parts of the expectation are shown, with gaps or help."},
            {"id": "proficient", "label": "Proficient", "score": 3, "mastery": True,
             "description": "The expectation is shown independently and accurately."},
            {"id": "advanced", "label": "Advanced", "score": 4, "mastery": True,
             "description": "The expectation is shown in new or complex situations."},
        ]},
        {"id": "habits-3", "title": "Habits of work", "levels": [
            {"id": "beginning", "label": "Beginning", "score": 1, "mastery": False},
            {"id": "developing", "label": "Developing", "score": 2, "mastery": False},
            {"id": "consistent", "label": "Consistent", "score": 3, "mastery": True},
        ]},
    ],
    "default_scale": "mastery-4",
    "calculation": {"method": "most_recent", "include_formative": False},
    "habits": {"scale": "habits-3", "items": [
        {"id": "collaboration", "label": "Collaboration", "description": "Works with others to reach shared goals."},
        {"id": "persistence", "label": "Persistence", "description": "Keeps going after setbacks and revises work."},
        {"id": "precision", "label": "Attention to precision", "description": "Communicates clearly and checks work."},
        {"id": "reflection", "label": "Reflection", "description": "Looks back at work and sets next steps."},
    ]},
    "badges": [badge(*b) for b in BADGES],
    "pathways": [{"id": p[0], "title": p[1], "badges": p[2], "description": p[3], "example": True}
                 for p in PATHWAYS],
}

out = pathlib.Path(__file__).resolve().parent.parent / "data" / "catalogs" / "xq-math.json"
out.write_text(json.dumps(catalog, indent=2) + "\n")
print(f"wrote {out}")
