//! What goes wrong on board: the demo fleet's library of faults per kind of equipment, each with
//! its severity, what the crew saw, the root cause found, the repair, and the spares it may
//! need from a supplier. The history (`history.rs`) picks from it to write six months of faults.
//!
//! Texts may name the item: `{item}` is the faulty item, `{unit}` the equipment it belongs to
//! (itself when it is not a component), `{n}` a cylinder or unit number, `{maker}` and `{model}`
//! the item's (or its equipment's) maker and model. In part numbers, `#` is a digit.

use bosun_domain::equipment::{Equipment, EquipmentLevel};
use bosun_domain::fault::Severity;

use Severity::{Critical, High, Low, Medium};

/// Which items a trouble can happen to.
#[derive(Debug, Clone, Copy)]
pub(super) enum Fit {
    /// Items of this type.
    Type(&'static str),
    /// Pieces of equipment (not systems or components) of this type.
    UnitType(&'static str),
    /// Items with exactly this name.
    Name(&'static str),
    /// Pieces of equipment (not systems or components) whose name starts with this.
    Prefix(&'static str),
}

impl Fit {
    fn matches(self, e: &Equipment) -> bool {
        match self {
            Self::Type(t) => e.equipment_type.as_deref() == Some(t),
            Self::UnitType(t) => e.level == EquipmentLevel::Equipment && e.equipment_type.as_deref() == Some(t),
            Self::Name(n) => e.name == n,
            Self::Prefix(p) => e.level == EquipmentLevel::Equipment && e.name.starts_with(p),
        }
    }
}

/// Who on board usually deals with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Trade {
    /// Engineers: engines, pumps, purifiers, hydraulics.
    Mechanical,
    /// The electrician (ETO): power, automation, navigation and radio equipment.
    Electrical,
    /// The deck crew: winches, cranes, lifesaving gear; engineers repair.
    Deck,
}

/// A spare that may have to be ordered.
#[derive(Debug, Clone, Copy)]
pub(super) struct Spare {
    /// Part name (may name `{maker}` and `{model}`).
    pub name: &'static str,
    /// Part number pattern (`#` is a digit).
    pub number: &'static str,
    /// Supplier (may name `{maker}`).
    pub supplier: &'static str,
    /// Supplier unit price range, minor units.
    pub price: (i64, i64),
    /// ISO 4217.
    pub currency: &'static str,
    /// How many are ordered.
    pub quantity: i64,
}

/// One kind of fault.
#[derive(Debug, Clone, Copy)]
pub(super) struct Trouble {
    /// The items it happens to.
    pub fits: &'static [Fit],
    /// How bad it is.
    pub severity: Severity,
    /// Who deals with it.
    pub trade: Trade,
    /// How often it happens, relative to the others.
    pub weight: u32,
    /// The report's one line.
    pub title: &'static str,
    /// What the reporter saw.
    pub description: &'static str,
    /// What was found.
    pub root_cause: &'static str,
    /// What was done.
    pub resolution: &'static str,
    /// Spares it may need (ordered together when the store has none).
    pub spares: &'static [Spare],
}

impl Trouble {
    /// Whether it can happen to `e`.
    pub(super) fn fits(&self, e: &Equipment) -> bool {
        self.fits.iter().any(|f| f.matches(e))
    }
}

const fn spare(
    name: &'static str,
    number: &'static str,
    supplier: &'static str,
    price: (i64, i64),
    currency: &'static str,
    quantity: i64,
) -> Spare {
    Spare { name, number, supplier, price, currency, quantity }
}

use Fit::{Name, Prefix, Type, UnitType};
use Trade::{Deck, Electrical, Mechanical};

/// A main engine's jacket water leak: the story told once in full (reopened, then resolved).
pub(super) const JACKET_WATER_LEAK: Trouble = Trouble {
    fits: &[Prefix("Main engine")],
    severity: High,
    trade: Mechanical,
    weight: 2,
    title: "{item} jacket water leak at cylinder {n} liner O-ring",
    description: "Jacket water weeping from the liner bottom at cylinder {n}, seen through the inspection \
                  port on the camshaft side. Expansion tank level dropping about 20 litres per watch. \
                  Lube oil sample clear, no water in the sump.",
    root_cause: "O-ring hardened: the liner O-rings had set and cracked after about 24,000 running hours, \
                 past their replacement interval.",
    resolution: "Replaced O-rings, pressure-tested: liner pulled, new O-ring set fitted with the approved \
                 lubricant, jacket water system held 4 bar for 30 minutes with no leak.",
    spares: &[
        spare("Liner O-ring set, {model}", "###.###.##", "{maker} Marine Parts", (38_000, 46_000), "EUR", 2),
        spare("Liner sealing ring", "###.###.##", "{maker} Marine Parts", (9_000, 12_500), "EUR", 2),
    ],
};

/// A tunnel thruster lost to an earth fault: critical on a DP vessel.
pub(super) const THRUSTER_EARTH_FAULT: Trouble = Trouble {
    fits: &[Type("tunnel thruster")],
    severity: Critical,
    trade: Electrical,
    weight: 1,
    title: "{item} tripped on earth fault, unavailable for DP",
    description: "Thruster tripped during DP operations alongside the installation: earth fault alarm on \
                  the 690 V board, breaker will not reset. DP class downgraded, operations suspended \
                  until redundancy is restored.",
    root_cause: "Drive motor winding insulation broke down: moisture entered through a perished terminal \
                 box gasket (insulation resistance 0.3 MΩ to earth).",
    resolution: "Dried out the motor with heaters for 36 hours, replaced the terminal box gasket and cable \
                 glands; insulation now 180 MΩ. Thruster tested at full pitch both ways, DP trials passed.",
    spares: &[
        spare("Terminal box gasket and cable gland set", "FU-##-####", "Brunvoll AS", (640_000, 720_000), "NOK", 1),
        spare("Anti-condensation heater 400 W", "HT-###-##", "Brunvoll AS", (410_000, 460_000), "NOK", 1),
    ],
};

/// A shark jaw that will not lower: critical on an anchor handler's deck.
pub(super) const SHARK_JAW_CYLINDER: Trouble = Trouble {
    fits: &[Name("Jaw hydraulic cylinders")],
    severity: Critical,
    trade: Deck,
    weight: 1,
    title: "{unit} fails to lower, hydraulic cylinder leaking",
    description: "During the anchor job the jaw stayed up with the lever in 'lower'. Oil spraying from the \
                  port cylinder rod end; about 40 litres on deck, contained with absorbent. Deck work \
                  stopped, jaw locked up and tagged out.",
    root_cause: "Rod seal and wiper of the port jaw cylinder blown out; rod scored by grit from the chain.",
    resolution: "Replaced the cylinder with the overhauled spare from the base, bled the circuit and \
                 function-tested the jaw ten times under pressure. Scored cylinder sent ashore for repair.",
    spares: &[spare(
        "Cylinder seal kit, {model} jaw",
        "SJ-###-####",
        "Karmøy Winch AS",
        (1_150_000, 1_320_000),
        "NOK",
        2,
    )],
};

/// A tugger winch brake that slips: the tug's winch recorded down.
pub(super) const WINCH_BRAKE_SLIPPING: Trouble = Trouble {
    fits: &[UnitType("hydraulic winch"), Type("waterfall winch")],
    severity: High,
    trade: Deck,
    weight: 2,
    title: "{item} brake slipping under load",
    description: "Brake slipped about half a metre when holding a 5-tonne load during the monthly test. \
                  Winch taken out of use and tagged.",
    root_cause: "Band brake linings worn below the 5 mm minimum and glazed with hydraulic oil from a \
                 weeping motor seal.",
    resolution: "Replaced both brake linings and the motor shaft seal, adjusted the band, load-tested to \
                 1.25 × SWL; brake held with no creep.",
    spares: &[
        spare("Brake band lining set, {model}", "BL-####-##", "{maker} Service", (1_250_000, 1_600_000), "NOK", 1),
        spare("Hydraulic motor shaft seal kit", "SK-#####", "Rexroth Norway", (210_000, 260_000), "NOK", 1),
    ],
};

/// The crane that keeps leaking (the tug's deck crane is recorded degraded).
pub(super) const CRANE_SLEW_LEAK: Trouble = Trouble {
    fits: &[Type("offshore crane")],
    severity: Medium,
    trade: Deck,
    weight: 2,
    title: "{item} hydraulic oil leak at slewing motor",
    description: "Oil running down the pedestal from the slewing motor; about 2 litres after an hour's \
                  work. Crane usable with care, drip tray fitted.",
    root_cause: "Slewing motor flange O-ring hardened; flange bolts found slack.",
    resolution: "Replaced the flange O-ring, torqued the bolts to spec, cleaned the pedestal; no leak after \
                 a day's cargo work.",
    spares: &[spare("Slewing motor O-ring kit", "KS-###-###", "{maker} Service", (18_000, 26_000), "EUR", 2)],
};

/// A purifier that loses its water seal (the supply vessel's purifier 2 is recorded degraded).
pub(super) const PURIFIER_SEAL: Trouble = Trouble {
    fits: &[Type("disc stack separator")],
    severity: Medium,
    trade: Mechanical,
    weight: 4,
    title: "{item} fails to build up water seal after discharge",
    description: "Alarm 'water seal lost' after each sludge discharge; oil going to the sludge tank. \
                  Purifier stopped, the other unit running alone.",
    root_cause: "Sliding bowl bottom seal ring worn and the operating water solenoid valve sticking.",
    resolution: "Overhauled the bowl with an intermediate service kit, cleaned the operating water \
                 solenoid valve; separated for 6 hours without an alarm.",
    spares: &[
        spare("Intermediate service kit, {model}", "#######-##", "Alfa Laval Nijmegen", (118_000, 136_000), "EUR", 1),
        spare("Operating water solenoid valve", "#######-##", "Alfa Laval Nijmegen", (41_000, 48_000), "EUR", 1),
    ],
};

/// A pinion drive that runs hot (the jack-up's pinion 2D is recorded degraded).
pub(super) const PINION_OVERHEATING: Trouble = Trouble {
    fits: &[Type("electric pinion drive")],
    severity: High,
    trade: Electrical,
    weight: 2,
    title: "{item} motor overheating during jacking",
    description: "Winding temperature alarm at 155 °C on {item} twenty minutes into preloading; the other \
                  pinions of the leg around 110 °C. Jacking paused, leg held on brakes.",
    root_cause: "Motor cooling fan failed (seized bearing), so the motor ran without forced cooling.",
    resolution: "Replaced the cooling fan motor, cleaned the motor fins, checked the winding insulation \
                 (>100 MΩ); jacked 2 m up and down, temperatures even across the leg.",
    spares: &[spare(
        "Cooling fan motor, pinion drive",
        "CJ-###-####",
        "GustoMSC Service",
        (210_000, 245_000),
        "EUR",
        1,
    )],
};

/// The library the history draws from, beyond the stories above.
pub(super) const TROUBLES: &[Trouble] = &[
    JACKET_WATER_LEAK,
    THRUSTER_EARTH_FAULT,
    SHARK_JAW_CYLINDER,
    WINCH_BRAKE_SLIPPING,
    CRANE_SLEW_LEAK,
    PURIFIER_SEAL,
    PINION_OVERHEATING,
    // Main engines.
    Trouble {
        fits: &[Prefix("Main engine")],
        severity: Medium,
        trade: Mechanical,
        weight: 3,
        title: "{item} exhaust temperature deviation on cylinder {n}",
        description: "Cylinder {n} exhaust gas temperature 45 °C above the mean at 85 % load; the other \
                      cylinders within ±15 °C. No smoke, no change in fuel rack position.",
        root_cause: "Fuel injector nozzle worn: poor spray pattern and opening pressure 40 bar below setting.",
        resolution: "Fitted an overhauled injector on cylinder {n} and set the opening pressure; exhaust \
                     temperatures now within ±10 °C of the mean.",
        spares: &[spare("Injector nozzle, {model}", "###.###.##", "{maker} Marine Parts", (52_000, 68_000), "EUR", 2)],
    },
    Trouble {
        fits: &[Prefix("Main engine")],
        severity: Critical,
        trade: Mechanical,
        weight: 1,
        title: "{item} crankcase oil mist alarm, engine shut down",
        description: "Oil mist detector high alarm followed by automatic shutdown at 70 % load. Crankcase \
                      doors kept shut for cooling; vessel continuing on the other engines.",
        root_cause: "False alarm: the detector's sensor heads were contaminated with oil vapour condensate. \
                     Crankcase inspection found no hot spots and all bearings in good order.",
        resolution: "Cleaned and recalibrated the detector heads, tested alarm and shutdown, ran the engine \
                     for 2 hours under observation with temperature checks on every door.",
        spares: &[],
    },
    Trouble {
        fits: &[Prefix("Main engine")],
        severity: Medium,
        trade: Mechanical,
        weight: 2,
        title: "{item} lube oil filter differential pressure high",
        description: "Automatic filter differential pressure alarm at 1.4 bar; back-flushing running \
                     continuously.",
        root_cause: "Back-flushing filter candles clogged and the flushing arm gear motor seized.",
        resolution: "Cleaned all candles in the ultrasonic bath, replaced the flushing arm gear motor; \
                     differential pressure 0.4 bar.",
        spares: &[spare(
            "Back-flushing filter gear motor",
            "6.##-#####",
            "Boll & Kirch Filterbau",
            (178_000, 212_000),
            "EUR",
            1,
        )],
    },
    Trouble {
        fits: &[Prefix("Main engine")],
        severity: Low,
        trade: Mechanical,
        weight: 3,
        title: "{item} fuel leak-off alarm, cylinder {n}",
        description: "Leak-off tank alarm; dripping from the high-pressure pipe connection at cylinder {n}.",
        root_cause: "High-pressure pipe connection seal worn.",
        resolution: "Replaced the pipe seals on cylinder {n}, tested the leak-off alarm.",
        spares: &[spare("HP fuel pipe seal kit", "###.###.##", "{maker} Marine Parts", (8_500, 12_000), "EUR", 4)],
    },
    Trouble {
        fits: &[Name("Charge air cooler")],
        severity: Medium,
        trade: Mechanical,
        weight: 2,
        title: "{unit} water in charge air receiver",
        description: "Water draining continuously from the charge air receiver drain; drain water salty.",
        root_cause: "Two cooler tubes perforated by erosion at the sea water inlet end.",
        resolution: "Plugged the two tubes (4 % of tubes now plugged) and pressure-tested the cooler; \
                     replacement of the tube stack planned for the next docking.",
        spares: &[spare("Tube plug set", "CAC-####", "Kelvion Service", (9_000, 14_000), "EUR", 1)],
    },
    Trouble {
        fits: &[Type("turbocharger")],
        severity: High,
        trade: Mechanical,
        weight: 2,
        title: "{unit} turbocharger vibration high",
        description: "Turbocharger vibration up from 4 to 11 mm/s over two days; slight whistle at high load.",
        root_cause: "Compressor wheel fouled by oil mist from the engine room air; bearings within limits.",
        resolution: "Water-washed the compressor side, cleaned the intake silencer filter; vibration back \
                     to 4 mm/s.",
        spares: &[spare("Intake silencer filter mat", "HT######", "ABB Turbocharging", (31_000, 38_000), "EUR", 1)],
    },
    Trouble {
        fits: &[Type("turbocharger")],
        severity: Medium,
        trade: Mechanical,
        weight: 2,
        title: "{unit} turbocharger surging at high load",
        description: "Surging noise at 90 % load and charge air pressure fluctuating ±0.2 bar.",
        root_cause: "Turbine nozzle ring fouled with combustion deposits.",
        resolution: "Dry-cleaned the turbine with granulate daily for a week, then replaced the nozzle ring \
                     at the port stay; no surging at full load.",
        spares: &[spare("Nozzle ring", "HT######", "ABB Turbocharging", (820_000, 940_000), "EUR", 1)],
    },
    Trouble {
        fits: &[Type("engine governor")],
        severity: Medium,
        trade: Mechanical,
        weight: 2,
        title: "{unit} speed hunting at low load",
        description: "Engine speed hunting ±15 rpm at idle and up to 20 % load.",
        root_cause: "Governor compensation needle setting drifted and the actuator oil was dirty.",
        resolution: "Changed the actuator oil, reset compensation to the manual's values; speed steady \
                     within ±2 rpm.",
        spares: &[],
    },
    Trouble {
        fits: &[Name("Jacket water pump"), Name("Engine cooling water pump")],
        severity: Medium,
        trade: Mechanical,
        weight: 2,
        title: "{unit} cooling water pump seal leaking",
        description: "Steady drip from the pump's telltale hole; about a litre an hour.",
        root_cause: "Mechanical seal faces worn.",
        resolution: "Replaced the mechanical seal, no leak at full load.",
        spares: &[spare(
            "Mechanical seal, cooling water pump",
            "###-####-##",
            "{maker} Marine Parts",
            (48_000, 62_000),
            "EUR",
            1,
        )],
    },
    Trouble {
        fits: &[Type("air starter")],
        severity: Medium,
        trade: Mechanical,
        weight: 1,
        title: "{unit} slow to crank on start",
        description: "Engine needed three attempts to start; air starter turning slowly with normal air \
                     pressure.",
        root_cause: "Air starter vanes worn.",
        resolution: "Overhauled the air starter with a vane kit; engine starts first time.",
        spares: &[spare("Air starter vane kit", "ST###-##", "Ingersoll Rand Marine", (36_000, 42_000), "USD", 1)],
    },
    Trouble {
        fits: &[Type("oil mist detector")],
        severity: Low,
        trade: Electrical,
        weight: 2,
        title: "{unit} oil mist detector fault alarm",
        description: "Detector shows 'sensor fault' on two measuring points; no mist alarm.",
        root_cause: "Sensor lenses dirty.",
        resolution: "Cleaned the lenses, ran the self-test and the smoke test.",
        spares: &[],
    },
    // Generators and electrical power.
    Trouble {
        fits: &[Prefix("Generator set")],
        severity: High,
        trade: Electrical,
        weight: 2,
        title: "{item} tripped on reverse power during load sharing",
        description: "Generator tripped on reverse power while paralleling; blackout prevention shed the \
                     non-essential load.",
        root_cause: "Governor actuator linkage loose, so the set took no load while synchronising.",
        resolution: "Tightened and pinned the linkage, checked the load sharing from 50 to 100 %.",
        spares: &[],
    },
    Trouble {
        fits: &[Prefix("Generator set")],
        severity: Medium,
        trade: Mechanical,
        weight: 3,
        title: "{item} high coolant temperature at full load",
        description: "Coolant temperature 96 °C at full load and rising; alarm at 98 °C.",
        root_cause: "Cooler fouled on the sea water side; zinc anodes consumed.",
        resolution: "Cleaned the cooler tube stack, replaced the zinc anodes; 82 °C at full load.",
        spares: &[spare("Zinc anode", "#N-####", "{maker} Marine Parts", (8_000, 11_000), "USD", 6)],
    },
    Trouble {
        fits: &[Prefix("Generator set")],
        severity: Low,
        trade: Mechanical,
        weight: 2,
        title: "{item} fuel filter differential pressure alarm",
        description: "Fuel filter differential pressure alarm 250 hours after the last change.",
        root_cause: "Bunker fuel carried water and microbial growth from the day tank.",
        resolution: "Changed the fuel filters, drained the day tank bottom, sent a fuel sample ashore.",
        spares: &[spare("Fuel filter element", "#R-####", "Caterpillar Marine Parts", (3_400, 4_200), "USD", 12)],
    },
    Trouble {
        fits: &[Type("AVR")],
        severity: High,
        trade: Electrical,
        weight: 1,
        title: "{unit} voltage fluctuating ±5 %",
        description: "Bus voltage swinging ±5 % with this set on the board; lights flickering.",
        root_cause: "Corroded AVR sensing fuse holder giving a poor contact.",
        resolution: "Replaced the fuse holder, checked the AVR settings; voltage steady within ±0.5 %.",
        spares: &[spare("AVR sensing fuse holder", "AREP-###", "Leroy-Somer Service", (6_000, 9_000), "EUR", 2)],
    },
    Trouble {
        fits: &[Name("Starter batteries"), Name("Emergency generator starter batteries")],
        severity: Medium,
        trade: Electrical,
        weight: 2,
        title: "{unit} starter batteries failed the weekly start test",
        description: "Cranking voltage fell to 17 V on the weekly start test; engine started on the second try.",
        root_cause: "Two cells sulphated; the batteries are six years old.",
        resolution: "Replaced the battery bank, tested three consecutive starts.",
        spares: &[spare("Starter battery 12 V 200 Ah", "EX-####", "Exide Marine", (27_000, 31_000), "EUR", 4)],
    },
    Trouble {
        fits: &[Type("synchronous alternator")],
        severity: Medium,
        trade: Electrical,
        weight: 1,
        title: "{unit} alternator non-drive-end bearing noise",
        description: "Rumbling from the alternator's non-drive end; bearing temperature 78 °C.",
        root_cause: "Bearing grease degraded; bearing race marked.",
        resolution: "Replaced the non-drive-end bearing, regreased, vibration 1.8 mm/s.",
        spares: &[spare("Bearing 6322 C3", "6322-C3", "SKF Norge", (38_000, 44_000), "NOK", 1)],
    },
    Trouble {
        fits: &[Name("Emergency generator")],
        severity: High,
        trade: Mechanical,
        weight: 1,
        title: "Emergency generator failed to start on the weekly test",
        description: "No crank from the hydraulic starter on the weekly test; battery start worked.",
        root_cause: "Hydraulic starter accumulator pre-charge low (nitrogen 40 bar instead of 70).",
        resolution: "Recharged the accumulator with nitrogen to 70 bar; three consecutive starts on each \
                     starter.",
        spares: &[],
    },
    Trouble {
        fits: &[Type("air circuit breaker")],
        severity: High,
        trade: Electrical,
        weight: 1,
        title: "{item} failed to close when synchronising",
        description: "Breaker does not close on the synchroscope's command; closing coil hot.",
        root_cause: "Closing coil burnt out.",
        resolution: "Replaced the closing coil, tested closing and tripping from the PMS and locally.",
        spares: &[spare("Closing coil 220 V DC", "1SDA######R1", "ABB Marine Service", (72_000, 84_000), "EUR", 1)],
    },
    Trouble {
        fits: &[Type("switchboard")],
        severity: Medium,
        trade: Electrical,
        weight: 3,
        title: "Earth fault alarm on {item}",
        description: "Insulation monitor shows 0.2 MΩ on the 440/230 V side; alarm will not clear.",
        root_cause: "Chafed cable in a deckhead tray feeding the galley.",
        resolution: "Found by sectioning the feeders, re-terminated and sleeved the cable; insulation now \
                     above 50 MΩ.",
        spares: &[],
    },
    Trouble {
        fits: &[Type("PMS")],
        severity: High,
        trade: Electrical,
        weight: 1,
        title: "Power management system lost communication with a generator controller",
        description: "PMS shows one generator as 'comm. fault'; automatic start and load-dependent stop \
                     disabled.",
        root_cause: "Loose Profibus connector at the generator control panel.",
        resolution: "Re-made the connector and checked the bus termination; PMS functions tested.",
        spares: &[],
    },
    Trouble {
        fits: &[Type("UPS")],
        severity: Medium,
        trade: Electrical,
        weight: 1,
        title: "{item} on bypass after the battery self-test",
        description: "UPS transferred to bypass after its weekly self-test; 'battery weak' alarm.",
        root_cause: "Battery string capacity below 60 %; batteries five years old.",
        resolution: "Replaced the battery string, UPS back online, autonomy test 22 minutes.",
        spares: &[spare("VRLA battery 12 V 100 Ah", "12HX###", "Eaton Electric", (21_000, 25_000), "EUR", 8)],
    },
    Trouble {
        fits: &[Type("battery charger")],
        severity: Low,
        trade: Electrical,
        weight: 1,
        title: "{item} float voltage high",
        description: "24 V DC board showing 28.9 V; charger fan running hard.",
        root_cause: "Battery temperature sensor failed, so temperature compensation was wrong.",
        resolution: "Replaced the temperature sensor; float voltage 27.2 V.",
        spares: &[spare("Battery temperature sensor", "ASS000####", "Victron Energy", (2_500, 3_500), "EUR", 1)],
    },
    Trouble {
        fits: &[Type("transformer")],
        severity: Low,
        trade: Electrical,
        weight: 1,
        title: "{item} cooling fan noisy",
        description: "Grinding noise from the transformer cooling fan.",
        root_cause: "Fan motor bearing worn.",
        resolution: "Replaced the fan.",
        spares: &[spare("Cooling fan 230 V", "W2E###-##", "Siemens Marine", (24_000, 29_000), "EUR", 1)],
    },
    Trouble {
        fits: &[Type("shaft alternator")],
        severity: High,
        trade: Electrical,
        weight: 1,
        title: "{item} excitation fault at full pitch",
        description: "Shaft generator dropped off the board with 'excitation fault' at full propeller pitch.",
        root_cause: "Exciter diode bridge: one diode short-circuited.",
        resolution: "Replaced the rotating diode set, tested on load for 4 hours.",
        spares: &[spare("Rotating diode set", "LSA-####", "Leroy-Somer Service", (48_000, 56_000), "EUR", 1)],
    },
    // Fuel, lube oil, cooling and air.
    Trouble {
        fits: &[Type("disc stack separator")],
        severity: Medium,
        trade: Mechanical,
        weight: 2,
        title: "{item} high vibration on start-up",
        description: "Vibration alarm during run-up; purifier stopped itself.",
        root_cause: "Sludge build-up in the bowl left it out of balance after incomplete discharges.",
        resolution: "Cleaned the bowl by hand, checked the spindle bearings and the height of the bowl; \
                     runs smoothly.",
        spares: &[spare(
            "Spindle bearing kit, {model}",
            "#######-##",
            "Alfa Laval Nijmegen",
            (210_000, 245_000),
            "EUR",
            1,
        )],
    },
    Trouble {
        fits: &[Type("electric heater")],
        severity: Low,
        trade: Electrical,
        weight: 2,
        title: "{unit} heater not reaching 98 °C",
        description: "Separation temperature stuck at 82 °C with the heater at full power.",
        root_cause: "One of three heating elements burned out.",
        resolution: "Replaced the element, temperature steady at 98 °C.",
        spares: &[spare("Heating element 7.5 kW", "EH-####", "Vapor Heating", (42_000, 50_000), "EUR", 1)],
    },
    Trouble {
        fits: &[Type("flow meter")],
        severity: Low,
        trade: Electrical,
        weight: 1,
        title: "{item} reading zero with the engine running",
        description: "Fuel consumption reading zero on the bridge and in the engine control room.",
        root_cause: "Signal cable connector loose at the transmitter.",
        resolution: "Re-made the connector, readings back.",
        spares: &[],
    },
    Trouble {
        fits: &[Type("level transmitter")],
        severity: Low,
        trade: Electrical,
        weight: 1,
        title: "{item} reading erratic in heavy weather",
        description: "Day tank level jumping by ±2 m³ with the vessel rolling; false low-level alarms.",
        root_cause: "Damping set too low and condensation in the housing.",
        resolution: "Dried the housing, new desiccant, damping increased to 10 s.",
        spares: &[],
    },
    Trouble {
        fits: &[Type("remote valve system")],
        severity: Medium,
        trade: Mechanical,
        weight: 1,
        title: "{item}: one valve fails to close from the panel",
        description: "Monthly test: one valve did not close from the remote panel; closed by hand.",
        root_cause: "Actuator cylinder seal leaking past, not enough force to seat the valve.",
        resolution: "Overhauled the actuator with a seal kit, tested ten times from the panel.",
        spares: &[spare("Actuator seal kit", "RVC-###-##", "Scana Hydraulics", (180_000, 220_000), "NOK", 1)],
    },
    Trouble {
        fits: &[Name("Mechanical seal")],
        severity: Medium,
        trade: Mechanical,
        weight: 4,
        title: "{unit} mechanical seal leaking",
        description: "Steady leak from the seal of {unit}, about 2 litres an hour; drip tray filling.",
        root_cause: "Seal faces scored by abrasive particles in the pumped liquid.",
        resolution: "Replaced the mechanical seal, checked shaft alignment; no leak after 24 hours.",
        spares: &[spare("Mechanical seal, {model}", "MS-####-##", "John Crane Norway", (580_000, 720_000), "NOK", 1)],
    },
    Trouble {
        fits: &[Name("Electric motor")],
        severity: Medium,
        trade: Electrical,
        weight: 3,
        title: "{unit} motor tripping on overload",
        description: "Motor tripped twice on overload; current 15 % above nameplate, bearing noise.",
        root_cause: "Drive-end motor bearing failing.",
        resolution: "Replaced both motor bearings, insulation 200 MΩ, current back to normal.",
        spares: &[spare("Bearing 6310-2Z/C3", "6310-2Z/C3", "SKF Norge", (95_000, 125_000), "NOK", 2)],
    },
    Trouble {
        fits: &[UnitType("centrifugal pump")],
        severity: Low,
        trade: Mechanical,
        weight: 3,
        title: "{item} low discharge pressure",
        description: "Discharge pressure 0.8 bar below the curve at normal flow.",
        root_cause: "Impeller wear rings worn; clearance three times the limit.",
        resolution: "Replaced the wear rings; pressure back on the curve.",
        spares: &[spare("Wear ring set, {model}", "WR-####", "{maker} Spares", (28_000, 36_000), "EUR", 1)],
    },
    Trouble {
        fits: &[Prefix("Sea water cooling pump")],
        severity: High,
        trade: Mechanical,
        weight: 2,
        title: "{item} suction pressure low, strainer blocked",
        description: "Low suction pressure alarm; central cooler outlet temperature rising.",
        root_cause: "Sea chest strainer blocked with jellyfish.",
        resolution: "Changed over to the other sea chest, cleaned the strainer; pressure normal.",
        spares: &[],
    },
    Trouble {
        fits: &[Type("plate heat exchanger")],
        severity: Medium,
        trade: Mechanical,
        weight: 2,
        title: "{item} LT outlet temperature high",
        description: "LT fresh water outlet 44 °C at full load (normally 36 °C).",
        root_cause: "Plate pack fouled by marine growth on the sea water side.",
        resolution: "Opened the cooler, cleaned all plates, replaced damaged gaskets; 35 °C at full load.",
        spares: &[spare("Plate gasket, {model}", "#######-##", "Alfa Laval Marine", (3_200, 4_400), "EUR", 12)],
    },
    Trouble {
        fits: &[Type("reciprocating air compressor")],
        severity: Medium,
        trade: Mechanical,
        weight: 3,
        title: "{item} second-stage safety valve lifting",
        description: "Second-stage safety valve lifting and delivery temperature 20 °C higher than usual.",
        root_cause: "Second-stage delivery valve plates broken.",
        resolution: "Replaced the valve plates and springs, checked the cooler; capacity test 30 minutes \
                     to fill both receivers.",
        spares: &[spare(
            "Valve overhaul kit, 2nd stage {model}",
            "####-###",
            "Sperre Industri AS",
            (880_000, 1_020_000),
            "NOK",
            1,
        )],
    },
    Trouble {
        fits: &[Type("reciprocating air compressor")],
        severity: Low,
        trade: Electrical,
        weight: 2,
        title: "{item} unloader not working, starting loaded",
        description: "Compressor starting against full pressure and tripping the starter.",
        root_cause: "Unloader solenoid valve coil open-circuit.",
        resolution: "Replaced the solenoid coil.",
        spares: &[spare("Solenoid coil 24 V DC", "####-###", "Sperre Industri AS", (120_000, 150_000), "NOK", 1)],
    },
    Trouble {
        fits: &[Type("screw air compressor"), Type("screw bulk compressor")],
        severity: Low,
        trade: Mechanical,
        weight: 2,
        title: "{item} high discharge temperature alarm",
        description: "Element outlet 108 °C; compressor stops on high temperature in warm weather.",
        root_cause: "Oil cooler fouled and the oil overdue for change.",
        resolution: "4,000-hour service: oil, oil filter and separator changed, cooler cleaned.",
        spares: &[spare(
            "Service kit 4000 h, {model}",
            "2901-####-##",
            "Atlas Copco Compressors",
            (58_000, 66_000),
            "EUR",
            1,
        )],
    },
    Trouble {
        fits: &[Type("refrigerant dryer")],
        severity: Low,
        trade: Mechanical,
        weight: 1,
        title: "Control air dew point high",
        description: "Water in the control air drains; dryer dew point +12 °C.",
        root_cause: "Dryer condenser fan motor failed.",
        resolution: "Replaced the condenser fan motor; dew point +3 °C.",
        spares: &[spare("Condenser fan motor", "1622-####-##", "Atlas Copco Compressors", (29_000, 34_000), "EUR", 1)],
    },
    // Steering, propulsion and thrusters.
    Trouble {
        fits: &[Type("rotary vane steering gear")],
        severity: High,
        trade: Mechanical,
        weight: 1,
        title: "{item} hydraulic oil leak at vane seal",
        description: "Oil leaking from the actuator top cover; tank topped up 15 litres in a day.",
        root_cause: "Vane seals worn.",
        resolution: "Replaced the vane seals; steering test hard-over to hard-over in 26 seconds with \
                     either pump.",
        spares: &[spare("Vane seal kit, {model}", "SR###-###", "Kongsberg Maritime", (320_000, 365_000), "EUR", 1)],
    },
    Trouble {
        fits: &[Type("transmitter")],
        severity: Medium,
        trade: Electrical,
        weight: 1,
        title: "{unit} rudder angle indication 3° off",
        description: "Rudder angle indicator shows 3° to starboard with the rudder amidships.",
        root_cause: "Transmitter feedback linkage loose.",
        resolution: "Re-aligned and locked the linkage, checked the indicators on the bridge and locally.",
        spares: &[],
    },
    Trouble {
        fits: &[Name("Pitch hydraulic power unit")],
        severity: High,
        trade: Mechanical,
        weight: 1,
        title: "{unit} pitch hunting, servo pressure low",
        description: "Propeller pitch hunting ±2° at steady command; servo oil pressure 10 bar low.",
        root_cause: "Pressure relief valve spring broken.",
        resolution: "Replaced the relief valve cartridge and set it to 45 bar; pitch steady.",
        spares: &[spare("Relief valve cartridge", "BCP-####-##", "Berg Propulsion", (108_000, 124_000), "EUR", 1)],
    },
    Trouble {
        fits: &[Name("Stern tube seal")],
        severity: Medium,
        trade: Mechanical,
        weight: 1,
        title: "{unit} stern tube seal leaking oil",
        description: "Stern tube header tank level dropping a litre a day; sheen astern in calm water.",
        root_cause: "Fishing line wound around the shaft behind the aft seal.",
        resolution: "Divers removed the fishing line and fitted a rope guard; header tank level steady for a week.",
        spares: &[],
    },
    Trouble {
        fits: &[Type("reduction gearbox")],
        severity: Medium,
        trade: Mechanical,
        weight: 1,
        title: "{item} lube oil temperature high",
        description: "Gearbox oil 68 °C at full load, alarm at 70 °C.",
        root_cause: "Gearbox oil cooler partly blocked by scale.",
        resolution: "Cleaned the cooler, changed the oil filter; 55 °C at full load.",
        spares: &[spare("Oil filter element, {model}", "LAF-####", "Reintjes Service", (18_000, 22_000), "EUR", 2)],
    },
    Trouble {
        fits: &[Type("multi-disc clutch")],
        severity: High,
        trade: Mechanical,
        weight: 1,
        title: "{unit} clutch slow to engage",
        description: "Clutch takes 12 seconds to engage (normally 4); shaft speed dips on engagement.",
        root_cause: "Clutch control valve sticking.",
        resolution: "Overhauled the control valve, checked the engagement pressure; 4 seconds.",
        spares: &[spare("Clutch control valve seal kit", "RE-####-##", "Reintjes Service", (46_000, 54_000), "EUR", 1)],
    },
    Trouble {
        fits: &[Type("tunnel thruster")],
        severity: High,
        trade: Electrical,
        weight: 2,
        title: "{item} pitch feedback fault",
        description: "Thruster pitch feedback fault on the DP system; thruster deselected.",
        root_cause: "Pitch feedback potentiometer worn.",
        resolution: "Replaced the potentiometer and calibrated the pitch feedback.",
        spares: &[spare("Pitch feedback potentiometer", "BR-####-###", "Brunvoll AS", (68_000, 80_000), "NOK", 1)],
    },
    Trouble {
        fits: &[Name("Gear housing")],
        severity: Medium,
        trade: Mechanical,
        weight: 1,
        title: "{unit} gear oil contaminated with water",
        description: "Gear oil sample milky; 0.8 % water.",
        root_cause: "Propeller shaft seal leaking sea water into the gear housing.",
        resolution: "Divers replaced the outer seal, gear oil changed twice; water content 0.05 %.",
        spares: &[spare("Propeller shaft seal kit", "BR-####-###", "Brunvoll AS", (2_450_000, 2_800_000), "NOK", 1)],
    },
    Trouble {
        fits: &[Type("azimuth thruster")],
        severity: High,
        trade: Mechanical,
        weight: 1,
        title: "{item} fails to lower fully",
        description: "Retractable thruster stops 20 cm short of the lowered position; not available for DP.",
        root_cause: "Lowered-position limit switch misaligned after vibration.",
        resolution: "Re-aligned and locked the limit switch, tested ten lower and raise cycles.",
        spares: &[],
    },
    // Deck machinery and cargo.
    Trouble {
        fits: &[UnitType("hydraulic winch")],
        severity: Low,
        trade: Deck,
        weight: 3,
        title: "{item} hydraulic oil leak at the motor flange",
        description: "Oil weeping from the hydraulic motor flange; puddle on deck after use.",
        root_cause: "Flange O-ring hardened.",
        resolution: "Replaced the O-ring, torqued the flange, cleaned down.",
        spares: &[],
    },
    Trouble {
        fits: &[Type("offshore crane")],
        severity: High,
        trade: Deck,
        weight: 1,
        title: "{item} load moment limiter fault, crane locked out",
        description: "Load moment limiter shows 'sensor fault' and blocks all motions; load lowered with \
                     the emergency function.",
        root_cause: "Load cell cable damaged at the boom tip sheave.",
        resolution: "Replaced the load cell cable, calibrated the limiter with test weights.",
        spares: &[spare("Load cell cable assembly", "LML-####-##", "{maker} Service", (150_000, 175_000), "EUR", 1)],
    },
    Trouble {
        fits: &[Type("offshore crane")],
        severity: Medium,
        trade: Deck,
        weight: 2,
        title: "{item} slewing stops intermittently",
        description: "Slewing stops for a second or two when slewing right under load.",
        root_cause: "Slew brake release pilot valve sticking.",
        resolution: "Replaced the pilot valve, tested slewing both ways under load.",
        spares: &[spare("Slew brake pilot valve", "PV-###-####", "{maker} Service", (62_000, 74_000), "EUR", 1)],
    },
    Trouble {
        fits: &[Type("capstan")],
        severity: Low,
        trade: Deck,
        weight: 2,
        title: "{item} foot switch intermittent",
        description: "Capstan stops and starts on its own with the foot switch held down.",
        root_cause: "Water inside the foot switch.",
        resolution: "Replaced the foot switch with an IP67 type.",
        spares: &[spare("Foot switch IP67", "FS-###", "Norwinch Service", (16_000, 21_000), "EUR", 1)],
    },
    Trouble {
        fits: &[Type("chain stopper")],
        severity: Medium,
        trade: Deck,
        weight: 1,
        title: "{item} slow to open",
        description: "Stopper takes twice as long to open as usual.",
        root_cause: "Hydraulic hose to the cylinder kinked behind the guard.",
        resolution: "Replaced the hose and re-routed it.",
        spares: &[spare("Hydraulic hose assembly 1/2\"", "HA-####", "Parker Store Bergen", (9_500, 12_500), "EUR", 1)],
    },
    Trouble {
        fits: &[Name("Spooling gear")],
        severity: High,
        trade: Deck,
        weight: 1,
        title: "{unit} spooling gear out of step",
        description: "Wire spooling unevenly on the towing drum; spooling carriage lagging.",
        root_cause: "Spooling gear chain stretched and the sprocket worn.",
        resolution: "Replaced chain and sprocket, re-timed the spooling gear.",
        spares: &[spare(
            "Spooling gear chain and sprocket",
            "RR-#####",
            "Rolls-Royce Marine Service",
            (2_400_000, 2_700_000),
            "NOK",
            1,
        )],
    },
    Trouble {
        fits: &[Type("towing pin")],
        severity: Medium,
        trade: Deck,
        weight: 1,
        title: "{item} slow to rise",
        description: "Towing pin rises slowly and stops short of the top.",
        root_cause: "Pin cylinder seals leaking internally.",
        resolution: "Resealed the cylinder, tested twenty cycles.",
        spares: &[spare("Pin cylinder seal kit", "TP-###-##", "Karmøy Winch AS", (480_000, 560_000), "NOK", 1)],
    },
    Trouble {
        fits: &[Type("stern roller")],
        severity: Low,
        trade: Deck,
        weight: 1,
        title: "{item} bearing noise when turning",
        description: "Knocking from the port end of the stern roller under load.",
        root_cause: "Bearing grease washed out; grease nipple blocked.",
        resolution: "Cleared the nipple, greased until fresh grease came through.",
        spares: &[],
    },
    Trouble {
        fits: &[Prefix("Liquid mud pump"), Prefix("Brine pump"), Prefix("Base oil pump"), Prefix("Drill water")],
        severity: Medium,
        trade: Mechanical,
        weight: 2,
        title: "{item} low capacity during discharge to the rig",
        description: "Discharge rate 60 m³/h instead of 100 with normal pressure at the manifold.",
        root_cause: "Impeller worn by barite in the mud.",
        resolution: "Replaced the impeller, capacity test 102 m³/h.",
        spares: &[spare("Impeller, {model}", "SB-####-##", "Framo Services AS", (2_600_000, 3_100_000), "NOK", 1)],
    },
    Trouble {
        fits: &[Type("bulk tank")],
        severity: Low,
        trade: Deck,
        weight: 1,
        title: "{item} aeration pad leaking",
        description: "Cement dust blowing out at the tank bottom during loading.",
        root_cause: "Aeration pad membrane torn.",
        resolution: "Replaced the aeration pad membrane, pressure test at 5 bar.",
        spares: &[spare("Aeration pad membrane", "VS-####", "Vik-Sandvik AS", (380_000, 440_000), "NOK", 2)],
    },
    // Ballast, bilge and pollution prevention.
    Trouble {
        fits: &[Type("UV treatment")],
        severity: Medium,
        trade: Electrical,
        weight: 2,
        title: "Ballast water treatment: UV intensity low",
        description: "UV intensity below the type-approval limit during ballasting; ballasting stopped.",
        root_cause: "Quartz sleeves fouled and one lamp at end of life (3,100 hours).",
        resolution: "Cleaned the sleeves (CIP), replaced the lamp; intensity 92 %.",
        spares: &[spare("UV lamp, PureBallast 3.2", "#######-##", "Alfa Laval Marine", (108_000, 118_000), "EUR", 2)],
    },
    Trouble {
        fits: &[Type("15 ppm separator")],
        severity: Medium,
        trade: Mechanical,
        weight: 2,
        title: "{item}: 15 ppm alarm on clean water",
        description: "Bilge alarm above 15 ppm while flushing with clean water; discharge stopped.",
        root_cause: "Oil content meter measuring cell dirty.",
        resolution: "Cleaned the measuring cell, calibration check with clean water: 0 ppm.",
        spares: &[],
    },
    Trouble {
        fits: &[Prefix("Bilge pump")],
        severity: Medium,
        trade: Mechanical,
        weight: 1,
        title: "{item} not self-priming",
        description: "Pump runs but does not draw from the engine room bilge well.",
        root_cause: "Suction non-return valve not seating (rag caught in it).",
        resolution: "Cleared the valve, tested suction from every bilge well.",
        spares: &[],
    },
    // Fire, safety and lifesaving.
    Trouble {
        fits: &[Prefix("Fire pump"), Prefix("Emergency fire pump")],
        severity: High,
        trade: Mechanical,
        weight: 2,
        title: "{item} failed the weekly test: low pressure",
        description: "Pressure at the highest hydrant 4 bar instead of 7 on the weekly test.",
        root_cause: "Impeller worn and wear rings out of tolerance.",
        resolution: "Replaced the impeller and wear rings, retested: 7.5 bar at the highest hydrant.",
        spares: &[spare(
            "Impeller and wear ring set, {model}",
            "AZ-####-##",
            "Azcue Pumps",
            (110_000, 130_000),
            "EUR",
            1,
        )],
    },
    Trouble {
        fits: &[Name("Detector loop 1"), Type("addressable fire alarm")],
        severity: Medium,
        trade: Electrical,
        weight: 2,
        title: "Fire alarm loop fault on detector loop 1",
        description: "Fire panel shows a loop fault and one detector missing (laundry).",
        root_cause: "Smoke chamber of the laundry detector contaminated with lint.",
        resolution: "Replaced the detector, loop fault cleared, tested with test smoke.",
        spares: &[spare("Optical smoke detector", "SAL-####", "Consilium Marine", (12_000, 16_000), "EUR", 4)],
    },
    Trouble {
        fits: &[Type("water mist")],
        severity: Medium,
        trade: Mechanical,
        weight: 1,
        title: "{item} pump unit pressure dropping",
        description: "Standby pressure drops from 25 to 18 bar overnight; pressure pump starting hourly.",
        root_cause: "Section valve passing.",
        resolution: "Overhauled the section valve; pressure held 24 hours.",
        spares: &[spare("Section valve repair kit", "HF-####-##", "Marioff Service", (42_000, 50_000), "EUR", 1)],
    },
    Trouble {
        fits: &[Type("CO2 system")],
        severity: Low,
        trade: Mechanical,
        weight: 1,
        title: "CO2 cylinders below 90 % on the weighing check",
        description: "Two cylinders of the engine room bank below 90 % of their charge at the annual check.",
        root_cause: "Slow leak at the cylinder valves.",
        resolution: "Cylinders exchanged for refilled ones by the service company.",
        spares: &[spare(
            "CO2 cylinder refill and valve service",
            "SVC-###",
            "Kidde Fire Protection",
            (22_000, 26_000),
            "EUR",
            2,
        )],
    },
    Trouble {
        fits: &[Type("rescue boat"), Name("Outboard engine")],
        severity: High,
        trade: Deck,
        weight: 1,
        title: "Fast rescue boat engine will not start",
        description: "Outboard cranks but will not start at the weekly drill; boat out of service.",
        root_cause: "Stale fuel with water in the carburettor bowl.",
        resolution: "Drained the fuel system, new fuel and filter; started and ran 30 minutes in the water.",
        spares: &[spare("Fuel filter / water separator", "6P3-WS24A-##", "Yamaha Marine", (2_400, 3_200), "EUR", 2)],
    },
    Trouble {
        fits: &[Name("Davit winch"), Type("davit")],
        severity: High,
        trade: Deck,
        weight: 1,
        title: "Rescue boat davit winch brake slipping",
        description: "Boat crept down 30 cm on the brake during the drill.",
        root_cause: "Brake pads glazed.",
        resolution: "Replaced the brake pads, static load test with 1.1 × the boat's weight.",
        spares: &[spare("Winch brake pad set", "NDC-####", "Norsafe AS", (340_000, 390_000), "NOK", 1)],
    },
    Trouble {
        fits: &[Type("EPIRB")],
        severity: Medium,
        trade: Electrical,
        weight: 1,
        title: "EPIRB self-test failed",
        description: "Monthly self-test ends with a battery fault.",
        root_cause: "Battery pack past its expiry date.",
        resolution: "Replaced the battery pack, self-test passed, new expiry date recorded.",
        spares: &[spare("EPIRB battery pack", "86-###A", "McMurdo", (24_000, 28_000), "USD", 1)],
    },
    Trouble {
        fits: &[Name("Release hook")],
        severity: Critical,
        trade: Deck,
        weight: 1,
        title: "{unit} on-load release hook failed the drill",
        description: "Aft hook did not reset after the release test; boat left hanging on the forward \
                     hook and recovered with the davit.",
        root_cause: "Hook reset lever corroded and binding.",
        resolution: "Freed, cleaned and greased the release mechanism, replaced the reset spring; \
                     release and reset tested five times.",
        spares: &[],
    },
    // Navigation, DP and communication.
    Trouble {
        fits: &[Type("radar")],
        severity: Medium,
        trade: Electrical,
        weight: 2,
        title: "{item} poor target presentation",
        description: "Weak echoes, known targets fading at 6 miles; tuning indicator low.",
        root_cause: "Magnetron at end of life (14,800 hours).",
        resolution: "Replaced the magnetron, performance check against known targets.",
        spares: &[spare("Magnetron", "MG####", "Furuno Norge", (138_000, 158_000), "USD", 1)],
    },
    Trouble {
        fits: &[Type("gyrocompass")],
        severity: High,
        trade: Electrical,
        weight: 1,
        title: "{item} heading drifting 3° against the satellite compass",
        description: "Gyro heading drifts up to 3° from the GPS compass over a watch.",
        root_cause: "Gyrosphere support fluid degraded.",
        resolution: "Service engineer replaced the support fluid and checked the sphere; error below 0.3°.",
        spares: &[spare(
            "Support fluid and service kit",
            "110-###.NG###",
            "Anschütz Service",
            (64_000, 72_000),
            "EUR",
            1,
        )],
    },
    Trouble {
        fits: &[Type("GNSS receiver")],
        severity: Medium,
        trade: Electrical,
        weight: 1,
        title: "{item} losing differential corrections",
        description: "DGPS drops to plain GPS several times a day; DP rejects it as a reference.",
        root_cause: "Correction antenna cable connector water-logged.",
        resolution: "Replaced the connector and sealed it with self-amalgamating tape.",
        spares: &[],
    },
    Trouble {
        fits: &[Name("DP controller A"), Name("DP controller B")],
        severity: High,
        trade: Electrical,
        weight: 1,
        title: "{item} failed, DP running on one controller",
        description: "{item} off-line with a hardware alarm; DP running without controller redundancy.",
        root_cause: "Power supply module failed.",
        resolution: "Replaced the power supply module, controller back in the redundant pair, DP \
                     redundancy test passed.",
        spares: &[spare("Power supply module", "K-POS-#####", "Kongsberg Maritime", (2_200_000, 2_500_000), "NOK", 1)],
    },
    Trouble {
        fits: &[Type("MRU")],
        severity: Medium,
        trade: Electrical,
        weight: 1,
        title: "{item} rejected by the DP system",
        description: "DP rejects the motion reference unit after a voting mismatch.",
        root_cause: "MRU mounting bracket loose.",
        resolution: "Tightened the bracket, checked alignment; accepted by the DP.",
        spares: &[],
    },
    Trouble {
        fits: &[Type("position reference")],
        severity: Medium,
        trade: Electrical,
        weight: 1,
        title: "Laser reference losing target lock",
        description: "Fanbeam losing lock on the installation's reflectors at 150 m.",
        root_cause: "Laser window coated with salt.",
        resolution: "Cleaned the window, added it to the daily DP checklist.",
        spares: &[],
    },
    Trouble {
        fits: &[Type("wind sensor"), Type("weather station")],
        severity: Low,
        trade: Electrical,
        weight: 1,
        title: "{item} reading frozen",
        description: "Wind speed stuck at 4 knots for hours.",
        root_cause: "Sensor bearing worn.",
        resolution: "Replaced the sensor head.",
        spares: &[spare("Wind sensor head", "WS-####-###", "Gill Instruments", (118_000, 132_000), "EUR", 1)],
    },
    Trouble {
        fits: &[Type("VDR")],
        severity: Medium,
        trade: Electrical,
        weight: 1,
        title: "VDR alarm: bridge wing microphone failure",
        description: "VDR reports a failed microphone channel (starboard bridge wing).",
        root_cause: "Water in the microphone unit.",
        resolution: "Replaced the microphone unit, VDR performance test passed.",
        spares: &[spare("Bridge wing microphone unit", "DM-####-##", "Danelec Marine", (36_000, 42_000), "EUR", 1)],
    },
    Trouble {
        fits: &[Type("ECDIS")],
        severity: Medium,
        trade: Electrical,
        weight: 1,
        title: "{item} freezing during chart updates",
        description: "ECDIS screen freezes during weekly chart updates; restarted twice.",
        root_cause: "Solid-state disk worn (reallocated sectors).",
        resolution: "Replaced the disk, restored the chart database and licences.",
        spares: &[spare("Replacement SSD, ECDIS", "FMD-####", "Furuno Norge", (64_000, 72_000), "USD", 1)],
    },
    Trouble {
        fits: &[Type("VSAT")],
        severity: Medium,
        trade: Electrical,
        weight: 2,
        title: "VSAT antenna losing lock, no internet",
        description: "Antenna drops the satellite several times an hour; email and crew internet down.",
        root_cause: "Pedestal motor driver board faulty.",
        resolution: "Replaced the motor driver board, antenna holds lock through full rolls.",
        spares: &[spare("Pedestal motor driver board", "IN-###-####", "Intellian", (168_000, 184_000), "USD", 1)],
    },
    Trouble {
        fits: &[Type("VHF radio"), Type("GMDSS")],
        severity: Low,
        trade: Electrical,
        weight: 2,
        title: "{item} DSC test call not acknowledged",
        description: "Weekly DSC test call to the coast station not acknowledged.",
        root_cause: "Antenna connector corroded.",
        resolution: "Replaced the antenna connector, test call acknowledged.",
        spares: &[],
    },
    // Accommodation, water and hull.
    Trouble {
        fits: &[Type("air conditioning")],
        severity: Medium,
        trade: Mechanical,
        weight: 2,
        title: "{item} tripping on high pressure",
        description: "AC compressor stops on high pressure in the afternoons; cabins at 27 °C.",
        root_cause: "Condenser fouled on the sea water side.",
        resolution: "Cleaned the condenser tubes; head pressure normal in full sun.",
        spares: &[],
    },
    Trouble {
        fits: &[Type("scroll compressor"), Type("compressor")],
        severity: Medium,
        trade: Mechanical,
        weight: 2,
        title: "{item} low refrigerant pressure",
        description: "Suction pressure low and sight glass bubbling.",
        root_cause: "Leak at a brazed joint on the discharge line.",
        resolution: "Repaired the joint, pressure-tested with nitrogen, evacuated and recharged R407C.",
        spares: &[spare(
            "Refrigerant R407C, 11.3 kg cylinder",
            "R407C-11",
            "Wilhelmsen Ships Service",
            (29_000, 34_000),
            "EUR",
            2,
        )],
    },
    Trouble {
        fits: &[Type("evaporator")],
        severity: Low,
        trade: Mechanical,
        weight: 2,
        title: "{item} iced up",
        description: "Evaporator a block of ice; room temperature rising.",
        root_cause: "Defrost heater element failed.",
        resolution: "Replaced the defrost heater, defrost cycle checked.",
        spares: &[spare("Defrost heater element", "DH-####", "Heinen & Hopman", (14_000, 18_000), "EUR", 1)],
    },
    Trouble {
        fits: &[Type("axial fan")],
        severity: Low,
        trade: Electrical,
        weight: 2,
        title: "{item} vibration high",
        description: "Fan vibrating and noisy; felt through the casing.",
        root_cause: "Motor bearings worn.",
        resolution: "Replaced the motor bearings and balanced the impeller.",
        spares: &[spare("Bearing 6312-2Z/C3", "6312-2Z/C3", "SKF Norge", (140_000, 165_000), "NOK", 2)],
    },
    Trouble {
        fits: &[Type("RO plant")],
        severity: Medium,
        trade: Mechanical,
        weight: 2,
        title: "Water maker output down 40 %",
        description: "RO plant producing 6 m³ a day instead of 10; salinity 480 ppm.",
        root_cause: "Membranes fouled and past their service life.",
        resolution: "Replaced the membrane pack, new pre-filters; 10.2 m³ a day at 180 ppm.",
        spares: &[spare("RO membrane element", "SW30-####", "Alfa Laval Marine", (82_000, 96_000), "EUR", 3)],
    },
    Trouble {
        fits: &[Type("biological STP")],
        severity: Medium,
        trade: Mechanical,
        weight: 1,
        title: "Sewage treatment plant high level alarm",
        description: "High level alarm; discharge pump running but level rising.",
        root_cause: "Discharge pump impeller blocked with rags.",
        resolution: "Cleared the impeller, reminded the crew what goes down the toilets.",
        spares: &[],
    },
    Trouble {
        fits: &[Type("pressure set")],
        severity: Low,
        trade: Mechanical,
        weight: 1,
        title: "{item} pump cycling every few seconds",
        description: "Fresh water pump starting and stopping constantly.",
        root_cause: "Membrane tank pre-charge lost.",
        resolution: "Recharged the membrane tank to 2.5 bar.",
        spares: &[],
    },
    Trouble {
        fits: &[Type("watertight door")],
        severity: Medium,
        trade: Deck,
        weight: 2,
        title: "{item} closing too slowly",
        description: "Door takes 60 seconds to close from the bridge (limit 40).",
        root_cause: "Hydraulic accumulator pre-charge low.",
        resolution: "Recharged the accumulator, closing time 28 seconds.",
        spares: &[],
    },
    Trouble {
        fits: &[Type("butterfly valve")],
        severity: Medium,
        trade: Mechanical,
        weight: 1,
        title: "{item} hard to operate",
        description: "Valve takes two people to turn; will not close fully.",
        root_cause: "Spindle seized by corrosion.",
        resolution: "Freed and greased the spindle at the diving inspection; operates by hand.",
        spares: &[],
    },
    Trouble {
        fits: &[Type("ICCP")],
        severity: Low,
        trade: Electrical,
        weight: 1,
        title: "ICCP anode current low on the port side",
        description: "Impressed current system reports low output on the port anode.",
        root_cause: "Reference electrode cable damaged.",
        resolution: "Repaired the cable at the penetration, output balanced.",
        spares: &[],
    },
    // Jack-up.
    Trouble {
        fits: &[Type("jacking brake")],
        severity: High,
        trade: Mechanical,
        weight: 1,
        title: "{item}: brake torque test failed on one motor",
        description: "Monthly brake test: one brake slipped at 80 % of the required torque.",
        root_cause: "Brake friction disc worn below limit.",
        resolution: "Replaced the brake disc, torque test passed at 110 %.",
        spares: &[spare("Brake friction disc", "CJ-###-####", "GustoMSC Service", (96_000, 112_000), "EUR", 1)],
    },
    Trouble {
        fits: &[Type("RPD sensor")],
        severity: Medium,
        trade: Electrical,
        weight: 2,
        title: "{item} out of range",
        description: "Rack phase differential reading jumps to 45 mm; jacking blocked.",
        root_cause: "Sensor misaligned after the last jacking operation.",
        resolution: "Re-aligned and calibrated the sensor against the rack.",
        spares: &[],
    },
    Trouble {
        fits: &[Type("encoder")],
        severity: Medium,
        trade: Electrical,
        weight: 1,
        title: "{item} signal lost",
        description: "Leg position reading drops out during jacking.",
        root_cause: "Encoder cable chafed at the leg well.",
        resolution: "Replaced the cable section and protected it.",
        spares: &[],
    },
    Trouble {
        fits: &[Type("jetting valve")],
        severity: Low,
        trade: Mechanical,
        weight: 1,
        title: "{item} passing",
        description: "Water passing through the closed jetting valve.",
        root_cause: "Valve seat eroded.",
        resolution: "Lapped the seat and replaced the seal.",
        spares: &[spare("Valve seal kit, {model}", "JV-###-##", "Scana Hydraulics", (150_000, 180_000), "NOK", 1)],
    },
    Trouble {
        fits: &[Name("Jacking PLC")],
        severity: High,
        trade: Electrical,
        weight: 1,
        title: "Jacking PLC I/O card fault",
        description: "PLC reports an I/O card fault on leg 3; jacking system locked out.",
        root_cause: "Digital input card failed.",
        resolution: "Replaced the card, loaded the configuration, tested all inputs.",
        spares: &[spare("Digital input card", "6ES7###-#BH##-0AB0", "Siemens Marine", (54_000, 62_000), "EUR", 1)],
    },
    Trouble {
        fits: &[Type("status lights")],
        severity: Medium,
        trade: Electrical,
        weight: 1,
        title: "Helideck perimeter lights: two units failed",
        description: "Two perimeter lights dark on the evening check.",
        root_cause: "LED drivers failed.",
        resolution: "Replaced both light units, full lighting check.",
        spares: &[spare("LED perimeter light", "HLS-####", "Orga BV", (38_000, 44_000), "EUR", 2)],
    },
    Trouble {
        fits: &[Type("DIFFS foam")],
        severity: High,
        trade: Mechanical,
        weight: 1,
        title: "Helideck foam pump fails to start on the test",
        description: "Foam pump does not start from the helideck control panel; flights stopped.",
        root_cause: "Starter contactor coil failed.",
        resolution: "Replaced the contactor, tested from every release point.",
        spares: &[],
    },
    Trouble {
        fits: &[Type("refuelling")],
        severity: Medium,
        trade: Mechanical,
        weight: 1,
        title: "Helicopter refuelling filter differential pressure high",
        description: "Differential pressure over the filter/water separator above 1 bar.",
        root_cause: "Filter elements loaded with particles.",
        resolution: "Replaced the elements, fuel sample clear and bright.",
        spares: &[spare(
            "Filter / water separator element",
            "HRS-####",
            "Mobile Fuels Ltd",
            (31_000, 36_000),
            "EUR",
            2,
        )],
    },
    Trouble {
        fits: &[Type("obstruction lights"), Type("fog signal")],
        severity: Low,
        trade: Electrical,
        weight: 1,
        title: "{item} not working",
        description: "Found not working on the daily check.",
        root_cause: "Control relay failed.",
        resolution: "Replaced the relay, tested.",
        spares: &[],
    },
    // Yachts.
    Trouble {
        fits: &[Type("impeller pump")],
        severity: High,
        trade: Mechanical,
        weight: 2,
        title: "{unit} sea water pump impeller failed",
        description: "Raw water flow alarm and exhaust temperature rising; engine stopped.",
        root_cause: "Impeller vanes broken after a dry start.",
        resolution: "Fitted a new impeller, found and removed the broken vanes from the cooler inlet.",
        spares: &[spare("Sea water pump impeller", "X#########", "MTU Yacht Parts", (24_000, 29_000), "EUR", 2)],
    },
    Trouble {
        fits: &[Type("fin stabiliser")],
        severity: Medium,
        trade: Mechanical,
        weight: 2,
        title: "{item} hydraulic leak at the actuator",
        description: "Oil in the stabiliser compartment bilge; actuator wet.",
        root_cause: "Actuator rod seal worn.",
        resolution: "Replaced the rod seal, checked the fin's travel.",
        spares: &[spare("Actuator seal kit", "QT-####", "Quantum Stabilizers", (98_000, 112_000), "USD", 1)],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_trouble_is_complete_and_its_spares_are_priced() {
        for t in TROUBLES {
            assert!(!t.fits.is_empty() && t.weight > 0, "{}", t.title);
            for text in [t.title, t.description, t.root_cause, t.resolution] {
                assert!(!text.trim().is_empty() && !text.contains("  "), "{text:?}");
            }
            assert!(t.title.chars().count() <= 120, "{}", t.title);
            for s in t.spares {
                assert!(s.price.0 > 0 && s.price.0 <= s.price.1, "{}", s.name);
                assert!(s.quantity > 0 && s.currency.len() == 3, "{}", s.name);
            }
        }
    }

    #[test]
    fn critical_faults_are_rare() {
        let total: u32 = TROUBLES.iter().map(|t| t.weight).sum();
        let critical: u32 = TROUBLES.iter().filter(|t| t.severity == Critical).map(|t| t.weight).sum();
        assert!(critical * 100 / total <= 8, "{critical} of {total}");
    }
}
