/**
 * Every behaviour assumption of the generated year, in one place (docs/seed-year.md explains them).
 *
 * These are inputs about how PEOPLE behave — how many file what, when, by which channel, how long a clerk
 * takes, how often documents are missing, how citizens pay and rate — and about the catalogue (which
 * procedures have an online service). None of them is a target rate: on-time, online, cashless and
 * full-process rates are counted afterwards by the portal's own metric code from the rows the simulation
 * produced, after every dossier went through the real calendar, workflow and clock.
 *
 * Probabilities are 0..1. "Office minutes" are minutes of office time (08:00–12:00, 13:00–17:00 on
 * working days, from the calendar); "hours" without "office" are wall-clock hours.
 */
import type { AgencyLevel, OnlineKind } from "../demo-data.ts";

type ByLevel<T> = Record<AgencyLevel, T>;

export const PARAMS = {
  catalogue: {
    /** Fixed seed for drawing the catalogue, so every --seed run upserts the same procedures. */
    seed: "catalogue-quangninh-2023",
    /**
     * Whether a procedure is offered online (catalogue input, not an outcome; docs/domain.md#catalogue), drawn per level
     * and popularity: the most-used `topShare` of a level's procedures (by the popularity rank below) were
     * put online first (Decree 42/2022 lists high-volume services for full-process first), the rest less
     * often. Assumed so that about 1,240 of 1,367 come out online; demo procedures keep their own kind.
     */
    onlineKind: {
      topShare: 0.15,
      top: {
        province: { full: 0.85, partial: 0.13, none: 0.02 },
        district: { full: 0.85, partial: 0.13, none: 0.02 },
        commune: { full: 0.85, partial: 0.13, none: 0.02 },
      } satisfies ByLevel<Record<OnlineKind, number>>,
      rest: {
        province: { full: 0.54, partial: 0.36, none: 0.1 },
        district: { full: 0.56, partial: 0.34, none: 0.1 },
        commune: { full: 0.6, partial: 0.3, none: 0.1 },
      } satisfies ByLevel<Record<OnlineKind, number>>,
    },
    /**
     * The shared catalogue has a fee only as free text; where no amount or "Miễn phí" (free) can be read,
     * the procedure charges a fee with this probability, drawn from `feeAmounts`.
     */
    unknownFeeProbability: { province: 0.35, district: 0.3, commune: 0.25 } satisfies ByLevel<number>,
    feeAmounts: [10_000, 20_000, 30_000, 50_000, 100_000, 200_000, 500_000],
    /** Processing time when the shared catalogue gives none (working days). */
    defaultWorkingDays: { province: 15, district: 10, commune: 5 } satisfies ByLevel<number>,
  },

  volume: {
    /** Share of the year's dossiers filed at each level (commune civil status and certification dominate). */
    levelShare: { commune: 0.5, district: 0.32, province: 0.18 } satisfies ByLevel<number>,
    /**
     * Within a level, procedure popularity follows Zipf: procedures are ranked by boost × a random key,
     * and weighted boost / rank^exponent, where boost = field boost × known-high-volume boost.
     */
    zipfExponent: 1.0,
    /**
     * Services known to be filed most (copy certification, birth registration, judicial record, driving
     * licence, household business…), by national code; an assumption about demand, not about outcomes.
     */
    codeBoost: {
      "2.000815": 8,
      "2.000884": 4,
      "1.001193": 5,
      "1.004873": 3,
      "2.000635": 3,
      "1.000656": 3,
      "1.000894": 3,
      "1.004859": 2,
      "2.001035": 2,
      "1.012753": 4,
      "1.001612": 4,
      "2.000720": 3,
      "1.013225": 3,
      "1.010020": 3,
      "1.001570": 3,
      "1.001266": 3,
      "3.000333": 5,
      "3.000348": 5,
      "1.012783": 3,
      "1.013992": 3,
      "2.001583": 3,
      "2.002041": 3,
      "2.002029": 4,
      "2.002288": 4,
      "1.000703": 3,
      "1.000105": 3,
    } as Record<string, number>,
    /** Fields (by Vietnamese name) that draw more dossiers at a level; the rank order is shuffled after boosting. */
    fieldBoost: {
      commune: {
        "Chứng thực": 3,
        "Hộ tịch": 3,
        "Đăng ký, quản lý cư trú": 2,
        "Bảo trợ xã hội": 1.5,
        "Người có công": 1.5,
      },
      district: {
        "Đất đai": 3,
        "Hộ tịch": 2,
        "Thành lập và hoạt động của hộ kinh doanh": 3,
        "Thành lập và hoạt động doanh nghiệp (hộ kinh doanh)": 3,
        "Hoạt động xây dựng": 3,
        "Chứng thực": 3,
        "Cấp, quản lý căn cước": 2,
      },
      province: {
        "Đất đai": 3,
        "Lý lịch tư pháp": 3,
        "Đường bộ": 2,
        "Thành lập và hoạt động của doanh nghiệp": 3,
        "Thành lập và hoạt động doanh nghiệp": 3,
        "Đầu tư tại Việt nam": 2,
        "Hoạt động xây dựng": 2,
        "Công chứng": 2,
      },
    } as Record<AgencyLevel, Record<string, number>>,
    /**
     * Relative number of commune-level units' residents per district-level locality (approximate 2023
     * population, thousands): dossiers of district and commune procedures are spread by these.
     */
    districtPopulation: {
      "31": 330,
      "32": 110,
      "33": 200,
      "34": 125,
      "35": 150,
      "36": 175,
      "37": 50,
      "38": 7,
      "39": 52,
      "40": 41,
      "41": 65,
      "42": 33,
      "43": 23,
    } as Record<string, number>,
    /** Communes within a district differ in size: log-normal spread of their weights. */
    communeSizeSigma: 0.5,
  },

  season: {
    /** Month factors (Jan..Dec): quieter in summer holidays for some services, busier before year end. */
    month: [0.95, 0.85, 1.05, 1.0, 1.0, 1.0, 0.97, 1.0, 1.0, 1.02, 1.05, 1.12],
    /** Tết (Lunar New Year's day) per year: a fact table. */
    tet: {
      2022: "2022-02-01",
      2023: "2023-01-22",
      2024: "2024-02-10",
      2025: "2025-01-29",
      2026: "2026-02-17",
    } as Record<number, string>,
    /** Fewer filings in the days before Tết and fewer still just after it. */
    beforeTet: { days: 10, factor: 0.7 },
    afterTet: { days: 14, factor: 0.55 },
    /** Online filings on days off, relative to a working day (online is open any time; counters are not). */
    dayOffOnlineFactor: 0.3,
    /** Online filings by hour of the day (0..23), relative. */
    onlineHour: [
      0.2, 0.1, 0.05, 0.05, 0.1, 0.3, 0.8, 1.5, 2.4, 2.8, 2.7, 2.2, 1.4, 1.6, 2.4, 2.6, 2.4, 1.9, 1.4, 1.4, 1.5, 1.3,
      0.9, 0.5,
    ],
    /** Counter arrivals per office hour (08..11, 13..16), relative: morning peak. */
    counterHour: [1.4, 1.8, 1.6, 1.1, 1.0, 1.2, 1.1, 0.8],
  },

  channel: {
    /** Probability of filing online, by the procedure's online kind and level. `none` cannot be filed online. */
    online: {
      full: { province: 0.93, district: 0.91, commune: 0.86 },
      partial: { province: 0.55, district: 0.5, commune: 0.4 },
      none: { province: 0, district: 0, commune: 0 },
    } satisfies Record<OnlineKind, ByLevel<number>>,
    /** Of the dossiers not filed online, the share sent by public postal service (the rest at the counter). */
    postalShareOfOffline: 0.03,
  },

  reception: {
    /** Online submissions refused at reception (wrong agency, unusable files): never received, not counted. */
    refuse: 0.006,
    /** Online submissions sent back as incomplete before reception (no clock yet). */
    preSupplement: 0.025,
    /** The citizen's answer to that, wall-clock hours (log-normal); some never answer and withdraw. */
    preSupplementAnswerHours: { median: 20, sigma: 1.0 },
    preSupplementNeverAnswered: 0.12,
    /** Time until a clerk receives an online submission, in office minutes (log-normal). */
    onlineReceptionOfficeMinutes: { median: 75, sigma: 1.0 },
    /**
     * Paper dossiers reach the handling unit after a share of the time limit (log-normal), at most one
     * working day (the rule: by the next working day); short procedures are handled at the desk.
     */
    paperTransfer: { share: 0.05, sigma: 0.8 },
    /** Counter/postal dossiers whose papers are scanned at intake (online ones are electronic anyway). */
    scannedAtIntake: { province: 0.92, district: 0.85, commune: 0.78 } satisfies ByLevel<number>,
  },

  handling: {
    /**
     * The clerk's work on a dossier, as a share of the procedure's time limit (converted to office time:
     * 1 working day = 480 office minutes, 1 working hour = 60; a calendar-day limit counts the working days
     * the calendar leaves until the due date), log-normal. Clerks plan to the deadline, so the median is
     * well inside it; the upper tail is what makes dossiers late.
     */
    share: { median: { province: 0.42, district: 0.45, commune: 0.3 } satisfies ByLevel<number>, sigma: 0.28 },
    /** Never less than this many office minutes of work. */
    minimumOfficeMinutes: 20,
  },

  supplement: {
    /** A supplement request after reception (clock stops until the citizen answers). */
    probability: { province: 0.05, district: 0.06, commune: 0.02 } satisfies ByLevel<number>,
    /** When in the work it is asked, as a share of the planned work. */
    atShare: { min: 0.1, max: 0.6 },
    /** The citizen's answer, wall-clock hours (log-normal). */
    answerHours: { median: 48, sigma: 1.0 },
    /**
     * Requests never answered: the citizen withdraws after this many working days (the workflow has no
     * clerk action out of `supplement_requested`; the clock ends the dossier at the request time).
     */
    neverAnswered: 0.05,
    withdrawAfterWorkingDays: 15,
    /** After an answer, another request (more than one makes the dossier late: Decision 766). */
    second: 0.015,
    /** Extra work after an answer, as a share of the planned work. */
    reworkShare: 0.1,
  },

  payment: {
    /**
     * Fee-bearing dossiers: the clerk requests the fee this many office minutes into the work (log-normal),
     * at most a tenth of the work in (short procedures: at once).
     */
    requestOfficeMinutes: { median: 30, sigma: 0.8 },
    /** Payment method by filing channel (gateway = PayGov / online gateway; transfer = bank transfer / QR). */
    method: {
      online: { gateway: 0.975, transfer: 0.0245, cash: 0.0005 },
      counter: { gateway: 0.35, transfer: 0.648, cash: 0.002 },
      postal: { gateway: 0.3, transfer: 0.695, cash: 0.005 },
    } as Record<"online" | "counter" | "postal", Record<"gateway" | "transfer" | "cash", number>>,
    /**
     * Time to pay after the request, wall-clock hours: a share pays promptly (at the counter, or still on
     * the portal), the others later (log-normal). Cash only at the counter in office time.
     */
    payHours: {
      online: { prompt: 0.98, promptMedian: 0.1, median: 1.5, sigma: 1.0 },
      counter: { prompt: 0.98, promptMedian: 0.05, median: 2, sigma: 1.0 },
      postal: { prompt: 0.9, promptMedian: 0.1, median: 24, sigma: 0.8 },
    } as Record<
      "online" | "counter" | "postal",
      { prompt: number; promptMedian: number; median: number; sigma: number }
    >,
  },

  ending: {
    /** The citizen withdraws while the dossier is open. */
    withdraw: 0.003,
    /** The clerk stops handling (ineligible), with a reason. */
    stop: 0.002,
  },

  result: {
    /** Result returned electronically (signed e-result), by channel and the procedure's online kind. */
    electronic: {
      online: { full: 0.965, partial: 0.75, none: 0.5 },
      counter: { full: 0.55, partial: 0.4, none: 0.3 },
      postal: { full: 0.3, partial: 0.25, none: 0.2 },
    } as Record<"online" | "counter" | "postal", Record<OnlineKind, number>>,
    /** An electronic result is delivered within this many wall-clock minutes of resolution (log-normal). */
    electronicMinutes: { median: 20, sigma: 1.0 },
    /** A paper result is collected after this many office minutes (log-normal, ~1.5 working days). */
    paperCollectOfficeMinutes: { median: 720, sigma: 0.8 },
  },

  rating: {
    /** Share of returned dossiers the citizen rates, by channel. */
    probability: { online: 0.3, counter: 0.12, postal: 0.05 } as Record<"online" | "counter" | "postal", number>,
    /** Rating 1 (not satisfied), 2 (satisfied), 3 (very satisfied): weights for in-time and late dossiers. */
    inTime: [0.015, 0.3, 0.685],
    late: [0.35, 0.45, 0.2],
    /** Wall-clock hours after return (log-normal). */
    afterHours: { median: 6, sigma: 1.2 },
  },
} as const;

export type Params = typeof PARAMS;
