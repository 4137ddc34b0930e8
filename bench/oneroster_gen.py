#!/usr/bin/env python3
"""Writes a generated OneRoster 1.1 bulk CSV set for the import benchmark
(issue #11): manifest.csv, orgs.csv (one district, N schools),
academicSessions.csv (a school year and two terms), courses.csv, classes.csv,
users.csv (students, teachers and a few guardians linked through
agentSourcedIds), enrollments.csv and demographics.csv.

Default sizes are the issue's: 200,000 students, 10,000 teachers, 40,000
classes and 1,000,000 enrollments (one teacher per class, the rest student
enrollments, spread evenly; no one is enrolled twice in a class). --scale
multiplies every count (--scale 0.01 for a quick run). The set is made to
pass `cairn import oneroster` with no problem: every reference resolves, an
enrollment's school is its class's school, sourcedIds are unique.

Usage: bench/oneroster_gen.py OUT_DIR [--scale S] [--students N]
       [--teachers N] [--classes N] [--enrollments N] [--schools N]
Standard library only; deterministic (same flags, same bytes).
"""

import argparse
import csv
import os
import sys

MODIFIED = "2025-08-01T00:00:00.000Z"
GIVEN = ["Ana", "Ben", "Chen", "Dana", "Eli", "Fatima", "Gus", "Hana", "Ivan", "Jia",
         "Kofi", "Lena", "Mateo", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tariq"]
FAMILY = ["Adams", "Baker", "Cruz", "Diaz", "Evans", "Fox", "Garcia", "Huang", "Ito",
          "Jones", "Khan", "Lopez", "Miller", "Nguyen", "Okafor", "Patel", "Reyes", "Smith"]
SEXES = ["female", "male", "female", "male", "other", "unspecified"]


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out_dir")
    p.add_argument("--scale", type=float, default=1.0)
    p.add_argument("--students", type=int, default=200_000)
    p.add_argument("--teachers", type=int, default=10_000)
    p.add_argument("--classes", type=int, default=40_000)
    p.add_argument("--enrollments", type=int, default=1_000_000)
    p.add_argument("--schools", type=int, default=50)
    p.add_argument("--courses", type=int, default=200)
    args = p.parse_args(argv)

    def scaled(n, minimum):
        return max(minimum, int(round(n * args.scale)))

    args.schools = scaled(args.schools, 2)
    args.students = scaled(args.students, args.schools)
    args.teachers = scaled(args.teachers, args.schools)
    args.classes = scaled(args.classes, args.schools)
    args.courses = scaled(args.courses, 1)
    args.enrollments = scaled(args.enrollments, args.classes)
    if args.enrollments < args.classes:
        p.error("need at least one enrollment (the teacher's) per class")
    per_student = -(-(args.enrollments - args.classes) // args.students)
    min_classes_per_school = args.classes // args.schools
    if per_student > min_classes_per_school:
        p.error("%d enrollments per student, but a school has only %d classes"
                % (per_student, min_classes_per_school))
    return args


def writer(out_dir, name):
    f = open(os.path.join(out_dir, name), "w", newline="", encoding="utf-8")
    return f, csv.writer(f, lineterminator="\r\n")


def main(argv):
    a = parse_args(argv)
    os.makedirs(a.out_dir, exist_ok=True)

    def school_of(index):  # students, teachers and classes go round the schools
        return index % a.schools

    # Classes per school, in order: class c is the (c // schools)-th of its school.
    classes_in = [0] * a.schools
    for c in range(a.classes):
        classes_in[school_of(c)] += 1
    teachers_in = [0] * a.schools
    for t in range(a.teachers):
        teachers_in[school_of(t)] += 1

    def class_id(school, local):
        return "cls-%06d" % (local * a.schools + school)

    def teacher_id(school, local):
        return "tch-%06d" % (local * a.schools + school)

    f, w = writer(a.out_dir, "manifest.csv")
    w.writerow(["propertyName", "value"])
    for row in [("manifest.version", "1.0"), ("oneroster.version", "1.1"),
                ("file.academicSessions", "bulk"), ("file.categories", "absent"),
                ("file.classes", "bulk"), ("file.classResources", "absent"),
                ("file.courses", "bulk"), ("file.courseResources", "absent"),
                ("file.demographics", "bulk"), ("file.enrollments", "bulk"),
                ("file.lineItems", "absent"), ("file.orgs", "bulk"),
                ("file.resources", "absent"), ("file.results", "absent"),
                ("file.users", "bulk"), ("source.systemName", "Cairn bench generator"),
                ("source.systemCode", "BENCH")]:
        w.writerow(row)
    f.close()

    f, w = writer(a.out_dir, "orgs.csv")
    w.writerow(["sourcedId", "status", "dateLastModified", "name", "type", "identifier",
                "parentSourcedId"])
    w.writerow(["dist-1", "active", MODIFIED, "Bench Unified School District", "district",
                "BUSD", ""])
    for s in range(a.schools):
        w.writerow(["sch-%04d" % s, "active", MODIFIED, "Bench School %d" % s, "school",
                    "S%04d" % s, "dist-1"])
    f.close()

    f, w = writer(a.out_dir, "academicSessions.csv")
    w.writerow(["sourcedId", "status", "dateLastModified", "title", "type", "startDate",
                "endDate", "parentSourcedId", "schoolYear"])
    w.writerow(["y2026", "", "", "2025-26", "schoolYear", "2025-08-15", "2026-06-15", "", "2026"])
    w.writerow(["t1", "", "", "Fall 2025", "term", "2025-08-15", "2025-12-20", "y2026", "2026"])
    w.writerow(["t2", "", "", "Spring 2026", "term", "2026-01-05", "2026-06-15", "y2026", "2026"])
    f.close()

    f, w = writer(a.out_dir, "courses.csv")
    w.writerow(["sourcedId", "status", "dateLastModified", "schoolYearSourcedId", "title",
                "courseCode", "grades", "orgSourcedId", "subjects", "subjectCodes"])
    for c in range(a.courses):
        w.writerow(["crs-%04d" % c, "", "", "y2026", "Course %d" % c, "C%04d" % c,
                    "%02d" % (6 + c % 7), "dist-1", "Mathematics", ""])
    f.close()

    f, w = writer(a.out_dir, "classes.csv")
    w.writerow(["sourcedId", "status", "dateLastModified", "title", "grades", "courseSourcedId",
                "classCode", "classType", "location", "schoolSourcedId", "termSourcedIds",
                "subjects", "subjectCodes", "periods"])
    for c in range(a.classes):
        course = c % a.courses
        terms = ["t1", "t2", "t1,t2"][c % 3]
        w.writerow([class_id(school_of(c), c // a.schools), "", "",
                    "Course %d - Section %d" % (course, c), "%02d" % (6 + course % 7),
                    "crs-%04d" % course, "C%04d-%d" % (course, c), "scheduled",
                    "Room %d" % (100 + c % 300), "sch-%04d" % school_of(c), terms,
                    "Mathematics", "", str(1 + c % 7)])
    f.close()

    # A few guardians: one per 100 students, each the agent of two students
    # (named from the guardian's side; the students name them back).
    guardians = max(1, a.students // 100)
    guardian_of = {}
    for g in range(guardians):
        for s in (2 * g, 2 * g + 1):
            if s < a.students:
                guardian_of[s] = g

    f, w = writer(a.out_dir, "users.csv")
    w.writerow(["sourcedId", "status", "dateLastModified", "enabledUser", "orgSourcedIds",
                "role", "username", "userIds", "givenName", "familyName", "middleName",
                "identifier", "email", "sms", "phone", "agentSourcedIds", "grades", "password"])
    for t in range(a.teachers):
        sid = "tch-%06d" % t
        given, family = GIVEN[t % len(GIVEN)], FAMILY[(t // 7) % len(FAMILY)]
        w.writerow([sid, "", "", "true", "sch-%04d" % school_of(t), "teacher", "t%06d" % t, "",
                    given, family, "", "T%06d" % t, "t%06d@bench.test" % t, "", "", "", "", ""])
    for s in range(a.students):
        sid = "stu-%07d" % s
        given, family = GIVEN[s % len(GIVEN)], FAMILY[(s // 3) % len(FAMILY)]
        agent = "grd-%06d" % guardian_of[s] if s in guardian_of else ""
        w.writerow([sid, "", "", "true", "sch-%04d" % school_of(s), "student", "s%07d" % s, "",
                    given, family, "", "S%07d" % s, "s%07d@bench.test" % s, "", "", agent,
                    "%02d" % (6 + s % 7), ""])
    for g in range(guardians):
        kids = [k for k in (2 * g, 2 * g + 1) if k < a.students]
        w.writerow(["grd-%06d" % g, "", "", "true", "sch-%04d" % school_of(kids[0]),
                    "parent" if g % 2 == 0 else "guardian", "g%06d" % g, "",
                    GIVEN[g % len(GIVEN)], FAMILY[(2 * g // 3) % len(FAMILY)], "",
                    "G%06d" % g, "g%06d@family.test" % g, "", "", "",
                    ",".join("stu-%07d" % k for k in kids), ""])
    f.close()

    f, w = writer(a.out_dir, "enrollments.csv")
    w.writerow(["sourcedId", "status", "dateLastModified", "classSourcedId", "schoolSourcedId",
                "userSourcedId", "role", "primary", "beginDate", "endDate"])
    n = 0
    # One teacher per class: the class's school's teachers in turn.
    for c in range(a.classes):
        school, local = school_of(c), c // a.schools
        n += 1
        w.writerow(["enr-%07d" % n, "", "", class_id(school, local), "sch-%04d" % school,
                    teacher_id(school, local % teachers_in[school]), "teacher", "true",
                    "2025-08-15", "2026-06-15"])
    # Student enrollments: round t gives every student (in order) their t-th
    # class, `stride` classes apart within their school, so never the same one.
    student_enrollments = a.enrollments - a.classes
    rounds = -(-student_enrollments // a.students)
    k = 0
    for t in range(rounds):
        for s in range(a.students):
            if k == student_enrollments:
                break
            school, local = school_of(s), s // a.schools
            count = classes_in[school]
            stride = count // rounds
            k += 1
            n += 1
            w.writerow(["enr-%07d" % n, "", "",
                        class_id(school, (local + t * stride) % count), "sch-%04d" % school,
                        "stu-%07d" % s, "student", "false", "", ""])
    f.close()

    f, w = writer(a.out_dir, "demographics.csv")
    w.writerow(["sourcedId", "status", "dateLastModified", "birthDate", "sex",
                "americanIndianOrAlaskaNative", "asian", "blackOrAfricanAmerican",
                "nativeHawaiianOrOtherPacificIslander", "white", "demographicRaceTwoOrMoreRaces",
                "hispanicOrLatinoEthnicity", "countryOfBirthCode", "stateOfBirthAbbreviation",
                "cityOfBirth", "publicSchoolResidenceStatus"])
    for s in range(a.students):
        flags = ["false"] * 7
        flags[s % 7] = "true"
        w.writerow(["stu-%07d" % s, "", "", "%d-%02d-%02d" % (2008 + s % 6, 1 + s % 12,
                                                              1 + s % 28),
                    SEXES[s % len(SEXES)]] + flags + ["US", "", "", ""])
    f.close()

    print("students=%d teachers=%d guardians=%d schools=%d courses=%d classes=%d "
          "enrollments=%d" % (a.students, a.teachers, guardians, a.schools, a.courses,
                              a.classes, n))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
