//! The demo fleet's equipment: a believable hierarchy of a few hundred items per hull type
//! (systems → equipment → components) with makers, models, serial numbers, criticality and
//! areas, and six months of weekly running-hour readings for engines, generators and
//! compressors. Each vessel is seeded in one transaction, with a change-log row per item and
//! reading and one audit entry for the lot.

use bosun_domain::equipment::{
    Area, Criticality, Equipment, EquipmentLevel, EquipmentStatus, MeterReading, qr_code_from_bits,
};
use bosun_domain::{CompanyId, EquipmentId, UserId, VesselId};
use bosun_store::StoredReading;
use chrono::{DateTime, Duration, Utc};
use rand::rngs::StdRng;
use rand::{Rng, RngCore, SeedableRng};

use bosun_app::fleet::equipment::EquipmentService;
use bosun_app::{Actor, Result};

use Area::{Accommodation, Bridge, Cargo, Deck, Electrical, EngineRoom, Hull as HullArea, Other};
use Criticality::{Critical, High, Low, Medium};

/// The kinds of hull the demo knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hull {
    /// A platform supply vessel: cargo tanks and bulk, DP-2, diesel-mechanical with CPPs.
    SupplyVessel,
    /// An anchor-handling tug supply vessel: four main engines, towing and anchor-handling gear.
    AnchorHandlingTug,
    /// A self-elevating (jack-up) rig: three legs, cranes, no propulsion of its own.
    JackUp,
    /// A motor yacht: a small registry.
    Yacht,
}

/// A running-hour meter to invent readings for.
#[derive(Debug, Clone, Copy)]
struct Meter {
    /// Hours on the meter six months ago.
    start: f64,
    /// Typical hours run per week.
    per_week: f64,
    /// The week (0–25) the meter was replaced, if it was.
    replaced_in_week: Option<u32>,
}

/// Builds one vessel's registry in hierarchy order (parents before children).
struct Catalog {
    company: CompanyId,
    vessel: VesselId,
    now: DateTime<Utc>,
    rng: StdRng,
    /// Ids and QR codes: seeded from the vessel's id, so they are the vessel's own (two
    /// vessels of one name get different ones) while the registry reads the same.
    ids: StdRng,
    items: Vec<Equipment>,
    meters: Vec<(usize, Meter)>,
}

/// A component: name, type, criticality.
type Part<'a> = (&'a str, &'a str, Criticality);

impl Catalog {
    fn new(company: CompanyId, vessel: VesselId, now: DateTime<Utc>, seed: u64) -> Self {
        let (hi, lo) = vessel.0.as_u64_pair();
        Self {
            company,
            vessel,
            now,
            rng: StdRng::seed_from_u64(seed),
            ids: StdRng::seed_from_u64(hi ^ lo),
            items: Vec::new(),
            meters: Vec::new(),
        }
    }

    /// A UUIDv7 of time `t`.
    fn id_at(&mut self, t: DateTime<Utc>) -> uuid::Uuid {
        let mut random = [0u8; 10];
        self.ids.fill_bytes(&mut random);
        uuid::Builder::from_unix_timestamp_millis(u64::try_from(t.timestamp_millis()).unwrap_or(0), &random).into_uuid()
    }

    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        parent: Option<usize>,
        level: EquipmentLevel,
        area: Area,
        name: &str,
        kind: &str,
        maker: Option<(&str, &str)>,
        criticality: Criticality,
    ) -> usize {
        let serial_number = maker.map(|(m, _)| {
            let initials: String = m.split([' ', '-', '&']).filter_map(|w| w.chars().next()).collect();
            let year = self.rng.random_range(2008..2022);
            format!("{}{year}-{:05}", initials.to_uppercase(), self.rng.random_range(100..99_999))
        });
        let id = EquipmentId(self.id_at(self.now));
        let qr_code = qr_code_from_bits(self.ids.random::<u64>());
        self.items.push(Equipment {
            id,
            company_id: self.company,
            vessel_id: self.vessel,
            parent_id: parent.map(|p| self.items[p].id),
            level,
            area,
            name: name.to_owned(),
            equipment_type: (!kind.is_empty()).then(|| kind.to_owned()),
            maker: maker.map(|(m, _)| m.to_owned()),
            model: maker.map(|(_, model)| model.to_owned()),
            serial_number,
            criticality,
            status: EquipmentStatus::Operational,
            specs: "{}".into(),
            qr_code,
            version: 0,
            created_at: self.now,
            updated_at: self.now,
        });
        self.items.len() - 1
    }

    fn system(&mut self, name: &str, area: Area, criticality: Criticality) -> usize {
        self.add(None, EquipmentLevel::System, area, name, "system", None, criticality)
    }

    /// A piece of equipment under `system`, in the system's area.
    fn unit(&mut self, system: usize, name: &str, kind: &str, maker: (&str, &str), criticality: Criticality) -> usize {
        let area = self.items[system].area;
        self.add(Some(system), EquipmentLevel::Equipment, area, name, kind, Some(maker), criticality)
    }

    /// A piece of equipment in another area than its system's.
    fn unit_in(
        &mut self,
        system: usize,
        area: Area,
        name: &str,
        kind: &str,
        maker: (&str, &str),
        criticality: Criticality,
    ) -> usize {
        self.add(Some(system), EquipmentLevel::Equipment, area, name, kind, Some(maker), criticality)
    }

    fn parts(&mut self, unit: usize, parts: &[Part<'_>]) {
        let area = self.items[unit].area;
        for (name, kind, criticality) in parts {
            self.add(Some(unit), EquipmentLevel::Component, area, name, kind, None, *criticality);
        }
    }

    /// A component with its own maker (turbochargers, alternators).
    fn part_by(&mut self, unit: usize, name: &str, kind: &str, maker: (&str, &str), criticality: Criticality) {
        let area = self.items[unit].area;
        self.add(Some(unit), EquipmentLevel::Component, area, name, kind, Some(maker), criticality);
    }

    fn metered(&mut self, item: usize, start: f64, per_week: f64) {
        self.meters.push((item, Meter { start, per_week, replaced_in_week: None }));
    }

    fn set_status(&mut self, item: usize, status: EquipmentStatus) {
        self.items[item].status = status;
    }

    // Building blocks shared by the hulls.

    fn main_engine(&mut self, sys: usize, name: &str, maker: (&str, &str), turbo: (&str, &str), hours: f64) -> usize {
        let me = self.unit(sys, name, "diesel engine", maker, Critical);
        self.part_by(me, "Turbocharger", "turbocharger", turbo, Critical);
        self.part_by(me, "Governor", "engine governor", ("Woodward", "723PLUS"), High);
        self.parts(
            me,
            &[
                ("Fuel injection pumps", "fuel injection", High),
                ("Charge air cooler", "heat exchanger", Medium),
                ("Engine-driven lube oil pump", "gear pump", High),
                ("Jacket water pump", "centrifugal pump", High),
                ("Starting air motor", "air starter", High),
            ],
        );
        self.part_by(
            me,
            "Crankcase oil mist detector",
            "oil mist detector",
            ("Schaller", "Visatron VN115/87plus"),
            Critical,
        );
        let per_week = self.rng.random_range(95.0..125.0);
        self.metered(me, hours, per_week);
        me
    }

    fn genset(&mut self, sys: usize, name: &str, engine: (&str, &str), alternator: (&str, &str), hours: f64) -> usize {
        let g = self.unit(sys, name, "diesel generator set", engine, Critical);
        self.part_by(g, "Alternator", "synchronous alternator", alternator, Critical);
        self.parts(
            g,
            &[
                ("Automatic voltage regulator", "AVR", High),
                ("Engine cooling water pump", "centrifugal pump", Medium),
                ("Radiator / cooler", "heat exchanger", Medium),
                ("Starter batteries", "battery bank", Medium),
                ("Governor actuator", "engine governor", High),
            ],
        );
        let per_week = self.rng.random_range(55.0..105.0);
        self.metered(g, hours, per_week);
        g
    }

    fn pump(&mut self, sys: usize, name: &str, maker: (&str, &str), criticality: Criticality) -> usize {
        let p = self.unit(sys, name, "centrifugal pump", maker, criticality);
        self.parts(p, &[("Electric motor", "induction motor", criticality), ("Mechanical seal", "shaft seal", Medium)]);
        p
    }

    fn pumps(&mut self, sys: usize, name: &str, n: usize, maker: (&str, &str), criticality: Criticality) {
        for i in 1..=n {
            self.pump(sys, &format!("{name} {i}"), maker, criticality);
        }
    }

    fn air_compressor(&mut self, sys: usize, name: &str, maker: (&str, &str), hours: f64, per_week: f64) -> usize {
        let c = self.unit(sys, name, "reciprocating air compressor", maker, High);
        self.parts(
            c,
            &[
                ("1st stage cylinder head", "cylinder head", Medium),
                ("2nd stage cylinder head", "cylinder head", Medium),
                ("Unloader valve", "valve", Medium),
                ("Safety valve", "safety valve", High),
                ("Electric motor", "induction motor", High),
            ],
        );
        self.metered(c, hours, per_week);
        c
    }

    fn purifier(&mut self, sys: usize, name: &str, maker: (&str, &str)) -> usize {
        let p = self.unit(sys, name, "disc stack separator", maker, High);
        self.parts(
            p,
            &[
                ("Bowl assembly", "separator bowl", High),
                ("Feed pump", "gear pump", Medium),
                ("Heater", "electric heater", Medium),
                ("Control unit", "controller", Medium),
            ],
        );
        p
    }

    fn tunnel_thruster(&mut self, sys: usize, name: &str, maker: (&str, &str)) -> usize {
        let t = self.unit(sys, name, "tunnel thruster", maker, Critical);
        self.parts(
            t,
            &[
                ("Drive motor", "induction motor", Critical),
                ("Gear housing", "right-angle gear", High),
                ("Pitch hydraulic unit", "hydraulic power unit", High),
                ("Thruster control system", "controller", High),
            ],
        );
        t
    }

    fn winch(&mut self, sys: usize, name: &str, maker: (&str, &str), criticality: Criticality) -> usize {
        let w = self.unit(sys, name, "hydraulic winch", maker, criticality);
        self.parts(
            w,
            &[
                ("Hydraulic motor", "hydraulic motor", criticality),
                ("Band brake", "brake", High),
                ("Drum and spooling gear", "winch drum", Medium),
                ("Local control stand", "control station", Medium),
            ],
        );
        w
    }

    fn crane(&mut self, sys: usize, name: &str, maker: (&str, &str), criticality: Criticality) -> usize {
        let c = self.unit(sys, name, "offshore crane", maker, criticality);
        self.parts(
            c,
            &[
                ("Slewing ring and gear", "slewing bearing", Critical),
                ("Main hoist winch", "hydraulic winch", Critical),
                ("Luffing cylinders", "hydraulic cylinder", High),
                ("Hydraulic power unit", "hydraulic power unit", High),
                ("Crane control system", "controller", High),
                ("Load moment limiter", "safety system", Critical),
            ],
        );
        c
    }

    fn electrical(&mut self, gensets: usize) {
        let sys = self.system("Electrical distribution", Electrical, Critical);
        let msb = self.unit(sys, "Main switchboard 690 V", "switchboard", ("ABB", "MNS"), Critical);
        for i in 1..=gensets {
            self.parts(msb, &[(&format!("Generator breaker G{i}"), "air circuit breaker", Critical)]);
        }
        self.parts(
            msb,
            &[("Bus-tie breaker", "air circuit breaker", Critical), ("Power management system", "PMS", Critical)],
        );
        let esb = self.unit(sys, "Emergency switchboard 440 V", "switchboard", ("ABB", "MNS"), Critical);
        self.parts(esb, &[("Emergency generator breaker", "air circuit breaker", Critical)]);
        for i in 1..=2 {
            self.unit(sys, &format!("Transformer 690/440 V {i}"), "transformer", ("Siemens", "GEAFOL 630 kVA"), High);
        }
        let ups = self.unit(sys, "UPS 230 V navigation and automation", "UPS", ("Eaton", "93PM 30 kW"), High);
        self.parts(ups, &[("UPS battery bank", "battery bank", High)]);
        self.unit(sys, "Battery charger 24 V DC", "battery charger", ("Victron", "Skylla-i 24/100"), Medium);
        self.unit_in(sys, Deck, "Shore connection", "shore power panel", ("Cavotec", "PowerMate"), Low);
    }

    fn fuel(&mut self) {
        let sys = self.system("Fuel oil system", EngineRoom, High);
        for i in 1..=2 {
            self.purifier(sys, &format!("Fuel oil purifier {i}"), ("Alfa Laval", "MMB 305"));
        }
        self.pumps(sys, "Fuel oil transfer pump", 2, ("IMO", "ACE 038"), Medium);
        self.pumps(sys, "Fuel oil booster pump", 2, ("IMO", "ACE 025"), High);
        for i in 1..=2 {
            self.unit(sys, &format!("Fuel flow meter ME{i}"), "flow meter", ("Krohne", "OPTIMASS 6400"), Low);
        }
        self.unit(sys, "Quick-closing valve system", "remote valve system", ("Hoppe", "QCV-12"), High);
        self.unit(sys, "Day tank level transmitter", "level transmitter", ("Vega", "VEGAPULS 64"), Medium);
    }

    fn lube_oil(&mut self, engines: usize) {
        let sys = self.system("Lube oil system", EngineRoom, High);
        for i in 1..=2 {
            self.purifier(sys, &format!("Lube oil purifier {i}"), ("Alfa Laval", "MMB 304"));
        }
        self.pump(sys, "Lube oil transfer pump", ("IMO", "ACE 032"), Low);
        self.pumps(sys, "Pre-lubrication pump", engines, ("Kral", "K-55"), Medium);
    }

    fn cooling(&mut self) {
        let sys = self.system("Cooling water system", EngineRoom, Critical);
        self.pumps(sys, "Sea water cooling pump", 3, ("Azcue", "CA-80/25"), Critical);
        self.pumps(sys, "HT fresh water pump", 2, ("Azcue", "CA-65/20"), High);
        self.pumps(sys, "LT fresh water pump", 2, ("Azcue", "CA-65/20"), High);
        for i in 1..=2 {
            let c =
                self.unit(sys, &format!("Central cooler {i}"), "plate heat exchanger", ("Alfa Laval", "M15-BFG"), High);
            self.parts(c, &[("Plate pack", "heat exchanger plates", High), ("Gaskets", "gasket set", Low)]);
        }
        self.unit(sys, "Expansion tank", "tank", ("Westermann", "EXP-500"), Low);
        self.unit(sys, "Preheating unit", "electric preheater", ("Vapor", "HWP-36"), Medium);
    }

    fn compressed_air(&mut self) {
        let sys = self.system("Compressed air system", EngineRoom, High);
        let hours = self.rng.random_range(6_000.0..11_000.0);
        self.air_compressor(sys, "Main air compressor 1", ("Sperre", "HV2/200"), hours, 22.0);
        let hours = self.rng.random_range(6_000.0..11_000.0);
        self.air_compressor(sys, "Main air compressor 2", ("Sperre", "HV2/200"), hours, 18.0);
        let w = self.unit(sys, "Working air compressor", "screw air compressor", ("Atlas Copco", "GA 30"), Medium);
        self.parts(w, &[("Air end", "screw element", Medium), ("Oil separator", "filter", Low)]);
        let hours = self.rng.random_range(9_000.0..15_000.0);
        self.metered(w, hours, 35.0);
        for i in 1..=2 {
            self.unit(sys, &format!("Starting air receiver {i}"), "pressure vessel", ("Sperre", "AR 500"), High);
        }
        self.unit(sys, "Control air dryer", "refrigerant dryer", ("Atlas Copco", "FD 30"), Low);
    }

    fn steering(&mut self, rudders: usize) {
        let sys = self.system("Steering gear", EngineRoom, Critical);
        for (i, side) in ["port", "starboard"].iter().take(rudders).enumerate() {
            let s = self.unit(
                sys,
                &format!("Steering gear {} ({side})", i + 1),
                "rotary vane steering gear",
                ("Kongsberg", "Tenfjord SR642"),
                Critical,
            );
            self.parts(
                s,
                &[
                    ("Hydraulic pump unit 1", "hydraulic power unit", Critical),
                    ("Hydraulic pump unit 2", "hydraulic power unit", Critical),
                    ("Rotary vane actuator", "actuator", Critical),
                    ("Rudder angle transmitter", "transmitter", High),
                ],
            );
        }
    }

    fn ballast_and_bilge(&mut self) {
        let sys = self.system("Ballast system", EngineRoom, High);
        self.pumps(sys, "Ballast pump", 2, ("Azcue", "VM-125/40"), High);
        let b =
            self.unit(sys, "Ballast water treatment system", "UV treatment", ("Alfa Laval", "PureBallast 3.2"), High);
        self.parts(
            b,
            &[
                ("Backflush filter", "filter", Medium),
                ("UV reactor", "UV reactor", High),
                ("BWTS control cabinet", "controller", Medium),
            ],
        );
        self.unit(sys, "Remote valve control", "remote valve system", ("Scana", "Hydraulic RVC"), Medium);

        let sys = self.system("Bilge and oily water", EngineRoom, High);
        self.pumps(sys, "Bilge pump", 2, ("Azcue", "BT-HM"), High);
        let ows = self.unit(sys, "Oily water separator", "15 ppm separator", ("RWO", "SKIT/S-DEB 2.5"), High);
        self.parts(ows, &[("15 ppm bilge alarm", "oil content meter", High), ("OWS feed pump", "screw pump", Medium)]);
        self.pump(sys, "Sludge pump", ("Allweiler", "AEB1E"), Low);
    }

    fn fire_fighting(&mut self, fifi: bool) {
        let sys = self.system("Fire fighting", EngineRoom, Critical);
        self.pumps(sys, "Fire pump", 2, ("Azcue", "CA-80/32"), Critical);
        self.pump(sys, "Emergency fire pump", ("Azcue", "CA-50/25"), Critical);
        let co2 = self.unit(sys, "Fixed CO2 system, engine room", "CO2 system", ("Kidde", "Fenwal HP CO2"), Critical);
        self.parts(
            co2,
            &[("CO2 cylinder bank", "cylinders", Critical), ("Release station", "release cabinet", Critical)],
        );
        let det = self.unit_in(
            sys,
            Bridge,
            "Fire detection system",
            "addressable fire alarm",
            ("Consilium", "Salwico CS4000"),
            Critical,
        );
        self.parts(det, &[("Fire alarm panel", "control panel", Critical), ("Detector loop 1", "detector loop", High)]);
        let mist = self.unit(sys, "Local water mist system", "water mist", ("Marioff", "HI-FOG"), High);
        self.parts(mist, &[("Water mist pump unit", "high-pressure pump", High)]);
        if fifi {
            let sys = self.system("External fire fighting (FiFi 1)", Deck, High);
            for i in 1..=2 {
                let p = self.unit_in(
                    sys,
                    EngineRoom,
                    &format!("FiFi pump {i}"),
                    "engine-driven pump",
                    ("Fire Fighting Systems", "SFP 250x300"),
                    High,
                );
                self.parts(p, &[("Clutch", "clutch", High), ("Priming pump", "vacuum pump", Medium)]);
                self.unit(
                    sys,
                    &format!("FiFi monitor {i}"),
                    "water/foam monitor",
                    ("Fire Fighting Systems", "FFS 1200 LB"),
                    High,
                );
            }
        }
    }

    fn lifesaving(&mut self, lifeboats: usize) {
        let sys = self.system("Life-saving appliances", Deck, Critical);
        let boat = self.unit(sys, "Fast rescue boat", "rescue boat", ("Norsafe", "Merlin 700"), Critical);
        self.part_by(boat, "Outboard engine", "outboard engine", ("Yamaha", "F115"), High);
        let davit = self.unit(sys, "Rescue boat davit", "davit", ("Norsafe", "NDC 25"), Critical);
        self.parts(davit, &[("Davit winch", "electric winch", Critical), ("Shock absorber", "damper", Medium)]);
        for i in 1..=lifeboats {
            let b = self.unit(
                sys,
                &format!("Lifeboat {i}"),
                "totally enclosed lifeboat",
                ("Fassmer", "SEL 8.5 T"),
                Critical,
            );
            self.parts(
                b,
                &[("Lifeboat engine", "diesel engine", Critical), ("Release hook", "on-load release", Critical)],
            );
            self.unit(sys, &format!("Lifeboat davit {i}"), "gravity davit", ("Fassmer", "D-R 12"), Critical);
        }
        for i in 1..=4 {
            self.unit(sys, &format!("Liferaft {i} (25 person)"), "liferaft", ("Viking", "25DKF+"), High);
        }
        self.unit_in(sys, Bridge, "EPIRB", "EPIRB", ("McMurdo", "SmartFind G8"), Critical);
        for i in 1..=2 {
            self.unit_in(sys, Bridge, &format!("Radar SART {i}"), "SART", ("Jotron", "Tron SART20"), High);
        }
    }

    fn navigation(&mut self, dp: bool) {
        let sys = self.system("Navigation", Bridge, High);
        self.unit(sys, "X-band radar", "radar", ("Furuno", "FAR-3220"), High);
        self.unit(sys, "S-band radar", "radar", ("Furuno", "FAR-3230S"), High);
        for i in 1..=2 {
            self.unit(sys, &format!("ECDIS {i}"), "ECDIS", ("Furuno", "FMD-3200"), High);
            self.unit(sys, &format!("Gyrocompass {i}"), "gyrocompass", ("Anschütz", "Standard 22"), High);
            self.unit(sys, &format!("DGPS {i}"), "GNSS receiver", ("Kongsberg", "DPS 132"), High);
        }
        self.unit(sys, "Autopilot", "autopilot", ("Anschütz", "NP 5400"), High);
        self.unit(sys, "AIS transponder", "AIS", ("Saab", "R5 Supreme"), Medium);
        self.unit(sys, "Echo sounder", "echo sounder", ("Skipper", "GDS101"), Medium);
        self.unit(sys, "Speed log", "doppler log", ("Furuno", "DS-60"), Low);
        self.unit(sys, "Voyage data recorder", "VDR", ("Danelec", "DM100"), High);
        self.unit(sys, "Bridge navigational watch alarm", "BNWAS", ("Marinepool", "BNWAS-2"), Medium);
        self.unit(sys, "Magnetic compass", "compass", ("Cassens & Plath", "Reflecta 1"), Low);
        if dp {
            let sys = self.system("Dynamic positioning (DP-2)", Bridge, Critical);
            let dpc = self.unit(sys, "DP control system", "DP controller", ("Kongsberg", "K-Pos DP-22"), Critical);
            self.parts(
                dpc,
                &[
                    ("DP controller A", "controller", Critical),
                    ("DP controller B", "controller", Critical),
                    ("DP operator station", "operator station", High),
                ],
            );
            self.unit(sys, "Laser reference system", "position reference", ("Guidance Marine", "Fanbeam 5"), High);
            self.unit(sys, "Hydroacoustic position reference", "HiPAP", ("Kongsberg", "HiPAP 352P"), High);
            for i in 1..=2 {
                self.unit(sys, &format!("Motion reference unit {i}"), "MRU", ("Kongsberg", "MRU 5+"), High);
                self.unit(sys, &format!("Wind sensor {i}"), "wind sensor", ("Gill", "WindObserver 75"), Medium);
            }
        }
    }

    fn communication(&mut self) {
        let sys = self.system("Radio and communication", Bridge, High);
        self.unit(sys, "GMDSS console", "GMDSS", ("Cobham", "Sailor 6000"), Critical);
        for i in 1..=2 {
            self.unit(sys, &format!("VHF DSC radio {i}"), "VHF radio", ("Cobham", "Sailor 6222"), High);
        }
        self.unit(sys, "MF/HF radio", "MF/HF radio", ("Cobham", "Sailor 6310"), High);
        self.unit(sys, "Inmarsat C", "satellite terminal", ("Cobham", "Sailor 6110"), High);
        self.unit(sys, "VSAT antenna", "VSAT", ("Intellian", "v100NX"), Medium);
    }

    fn hvac(&mut self, cabins: bool) {
        let sys = self.system("HVAC and refrigeration", Accommodation, Medium);
        let ac = self.unit(sys, "Accommodation AC plant", "air conditioning", ("Heinen & Hopman", "HH-AC 250"), Medium);
        self.parts(
            ac,
            &[
                ("AC compressor 1", "scroll compressor", Medium),
                ("AC compressor 2", "scroll compressor", Medium),
                ("Condenser", "heat exchanger", Medium),
                ("Air handling unit", "AHU", Medium),
            ],
        );
        for i in 1..=2 {
            self.unit_in(
                sys,
                EngineRoom,
                &format!("Engine room supply fan {i}"),
                "axial fan",
                ("Novenco", "ACN 1000"),
                High,
            );
            self.unit_in(
                sys,
                EngineRoom,
                &format!("Engine room exhaust fan {i}"),
                "axial fan",
                ("Novenco", "ACN 800"),
                Medium,
            );
        }
        let fridge =
            self.unit(sys, "Provision refrigeration plant", "refrigeration", ("Heinen & Hopman", "HH-PR 12"), Medium);
        self.parts(
            fridge,
            &[
                ("Freezer room evaporator", "evaporator", Medium),
                ("Cold room evaporator", "evaporator", Medium),
                ("Refrigeration compressor", "compressor", Medium),
            ],
        );
        if cabins {
            for i in 1..=4 {
                self.unit(sys, &format!("Cabin deck fan coil bank {i}"), "fan coil", ("Heinen & Hopman", "FC-20"), Low);
            }
        }
    }

    fn fresh_water(&mut self) {
        let sys = self.system("Fresh water and sanitary", EngineRoom, Medium);
        let ro = self.unit(sys, "Reverse osmosis water maker", "RO plant", ("Alfa Laval", "AQUA Blue"), Medium);
        self.parts(
            ro,
            &[
                ("High-pressure pump", "piston pump", Medium),
                ("Membrane pack", "RO membranes", Medium),
                ("Pre-filter", "filter", Low),
            ],
        );
        for i in 1..=2 {
            self.unit(sys, &format!("Hydrophore unit {i}"), "pressure set", ("Grundfos", "Hydro Multi-E"), Medium);
        }
        self.unit(sys, "Hot water calorifier", "calorifier", ("Nordic Marine", "CAL-500"), Low);
        let stp = self.unit(sys, "Sewage treatment plant", "biological STP", ("Hamworthy", "ST4A"), Medium);
        self.parts(stp, &[("Aeration blower", "blower", Medium), ("Discharge pump", "centrifugal pump", Medium)]);
        self.unit(sys, "UV steriliser", "UV steriliser", ("Atlantic Ultraviolet", "Sanitron S2400"), Low);
    }

    fn hull(&mut self, doors: usize) {
        let sys = self.system("Hull and structure", HullArea, High);
        self.unit(sys, "Impressed current cathodic protection", "ICCP", ("Cathelco", "ICCP 150 A"), Medium);
        for i in 1..=doors {
            self.unit(sys, &format!("Watertight sliding door {i}"), "watertight door", ("Winel", "WSD-H"), High);
        }
        for side in ["port", "starboard"] {
            self.unit(sys, &format!("Sea chest valve ({side})"), "butterfly valve", ("Tyco", "Keystone F990"), High);
        }
    }

    /// Propulsion with `engines` main engines on two shafts (one gearbox per shaft).
    fn propulsion(&mut self, engines: usize, maker: (&str, &str), turbo: (&str, &str)) -> Vec<usize> {
        let sys = self.system("Main propulsion", EngineRoom, Critical);
        let mut mes = Vec::new();
        for i in 1..=engines {
            let hours = self.rng.random_range(24_000.0..48_000.0);
            mes.push(self.main_engine(sys, &format!("Main engine {i}"), maker, turbo, hours));
        }
        for (i, side) in ["port", "starboard"].iter().enumerate() {
            let g = self.unit(
                sys,
                &format!("Reduction gearbox {} ({side})", i + 1),
                "reduction gearbox",
                ("Reintjes", "LAF 4545"),
                Critical,
            );
            self.parts(
                g,
                &[
                    ("Clutch", "multi-disc clutch", Critical),
                    ("Gearbox lube oil pump", "gear pump", High),
                    ("Gearbox oil cooler", "heat exchanger", Medium),
                ],
            );
            let p = self.unit(
                sys,
                &format!("Controllable pitch propeller {} ({side})", i + 1),
                "CPP",
                ("Berg Propulsion", "BCP 1050"),
                Critical,
            );
            self.parts(
                p,
                &[
                    ("Pitch hydraulic power unit", "hydraulic power unit", Critical),
                    ("Pitch control system", "controller", Critical),
                    ("Stern tube seal", "shaft seal", High),
                ],
            );
        }
        mes
    }

    fn power(&mut self, gensets: usize, emergency: bool) -> Vec<usize> {
        let sys = self.system("Power generation", EngineRoom, Critical);
        let mut gs = Vec::new();
        for i in 1..=gensets {
            let hours = self.rng.random_range(18_000.0..42_000.0);
            gs.push(self.genset(
                sys,
                &format!("Generator set {i}"),
                ("Caterpillar", "C32 ACERT"),
                ("Leroy-Somer", "LSA 50.2"),
                hours,
            ));
        }
        if emergency {
            let e = self.unit_in(
                sys,
                Other,
                "Emergency generator",
                "diesel generator set",
                ("Cummins", "QSK19-DM"),
                Critical,
            );
            self.part_by(e, "Emergency alternator", "synchronous alternator", ("Stamford", "HCM534"), Critical);
            self.parts(
                e,
                &[
                    ("Emergency generator starter batteries", "battery bank", Critical),
                    ("Hydraulic starter", "starter", High),
                ],
            );
            let hours = self.rng.random_range(600.0..1_400.0);
            self.metered(e, hours, 1.5);
        }
        gs
    }
}

impl Hull {
    fn build(self, c: &mut Catalog) {
        match self {
            Self::SupplyVessel => {
                c.propulsion(2, ("MaK", "8M25C"), ("ABB", "TPL65-A"));
                let sys = c.system("Thrusters", EngineRoom, Critical);
                c.tunnel_thruster(sys, "Bow tunnel thruster 1", ("Brunvoll", "FU-63-LTC-2250"));
                c.tunnel_thruster(sys, "Bow tunnel thruster 2", ("Brunvoll", "FU-63-LTC-2250"));
                c.tunnel_thruster(sys, "Stern tunnel thruster", ("Brunvoll", "FU-45-LTC-1375"));
                let az = c.unit(
                    sys,
                    "Retractable azimuth thruster",
                    "azimuth thruster",
                    ("Kongsberg", "TCNS 73/50-180"),
                    Critical,
                );
                c.parts(
                    az,
                    &[("Lifting gear", "hydraulic cylinder", High), ("Steering motor", "hydraulic motor", High)],
                );
                let gs = c.power(3, true);
                c.electrical(3);
                c.fuel();
                c.lube_oil(2);
                c.cooling();
                c.compressed_air();
                c.steering(2);
                let deck = c.system("Deck machinery", Deck, High);
                let windlass = c.winch(deck, "Anchor windlass", ("Norwinch", "AW-46"), High);
                c.parts(windlass, &[("Chain stopper", "chain stopper", High)]);
                for i in 1..=2 {
                    c.unit(deck, &format!("Capstan {i}"), "capstan", ("Norwinch", "CAP-10"), Medium);
                    c.winch(deck, &format!("Tugger winch {i}"), ("Norwinch", "TW-10"), Medium);
                }
                c.crane(deck, "Provision crane", ("Palfinger", "PK 15500 M"), High);
                let cargo = c.system("Cargo systems", Cargo, High);
                for (name, maker) in [
                    ("Liquid mud pump", ("Framo", "SB 100")),
                    ("Brine pump", ("Framo", "SB 100")),
                    ("Base oil pump", ("Framo", "SB 80")),
                    ("Fuel cargo pump", ("Framo", "SB 80")),
                    ("Fresh water cargo pump", ("Azcue", "CA-100")),
                    ("Drill water cargo pump", ("Azcue", "CA-100")),
                ] {
                    c.pumps(cargo, name, 2, maker, High);
                }
                for i in 1..=2 {
                    let b = c.air_compressor(
                        cargo,
                        &format!("Dry bulk compressor {i}"),
                        ("Atlas Copco", "ZE 4"),
                        9_500.0,
                        12.0,
                    );
                    c.items[b].equipment_type = Some("screw bulk compressor".into());
                }
                for i in 1..=4 {
                    c.unit(
                        cargo,
                        &format!("Dry bulk tank {i} (cement/barite)"),
                        "bulk tank",
                        ("Vik-Sandvik", "BT-85"),
                        Medium,
                    );
                }
                c.ballast_and_bilge();
                c.fire_fighting(false);
                c.lifesaving(0);
                c.navigation(true);
                c.communication();
                c.hvac(false);
                c.fresh_water();
                c.hull(4);
                // One generator's hour meter was replaced two months ago.
                if let Some(m) = c.meters.iter_mut().find(|(i, _)| *i == gs[2]) {
                    m.1.replaced_in_week = Some(17);
                }
                if let Some(p) = c.items.iter().position(|e| e.name == "Fuel oil purifier 2") {
                    c.set_status(p, EquipmentStatus::Degraded);
                }
            }
            Self::AnchorHandlingTug => {
                c.propulsion(4, ("Wärtsilä", "8L32"), ("ABB", "TPL71-C"));
                let sys = c.system("Thrusters", EngineRoom, Critical);
                c.tunnel_thruster(sys, "Bow tunnel thruster 1", ("Brunvoll", "FU-80-LTC-2750"));
                c.tunnel_thruster(sys, "Bow tunnel thruster 2", ("Brunvoll", "FU-80-LTC-2750"));
                c.tunnel_thruster(sys, "Stern tunnel thruster 1", ("Brunvoll", "FU-63-LTC-1750"));
                c.tunnel_thruster(sys, "Stern tunnel thruster 2", ("Brunvoll", "FU-63-LTC-1750"));
                let sg = c.system("Shaft generators", EngineRoom, High);
                for (i, side) in ["port", "starboard"].iter().enumerate() {
                    let g = c.unit(
                        sg,
                        &format!("Shaft generator {} ({side})", i + 1),
                        "shaft alternator",
                        ("Leroy-Somer", "LSA 54"),
                        High,
                    );
                    c.parts(g, &[("Shaft generator breaker", "air circuit breaker", High)]);
                }
                let gs = c.power(2, true);
                c.electrical(2);
                c.fuel();
                c.lube_oil(4);
                c.cooling();
                c.compressed_air();
                c.steering(2);
                let ah = c.system("Anchor handling and towing", Deck, Critical);
                let main = c.unit(
                    ah,
                    "Anchor handling / towing winch",
                    "waterfall winch",
                    ("Rolls-Royce", "BSL 400"),
                    Critical,
                );
                c.parts(
                    main,
                    &[
                        ("Towing drum", "winch drum", Critical),
                        ("Anchor handling drum", "winch drum", Critical),
                        ("Band brakes", "brake", Critical),
                        ("Spooling gear", "spooling gear", High),
                        ("Winch hydraulic power unit", "hydraulic power unit", Critical),
                        ("Winch control system", "controller", Critical),
                    ],
                );
                c.winch(ah, "Secondary winch", ("Rolls-Royce", "BSL 250"), High);
                for i in 1..=2 {
                    c.winch(ah, &format!("Storage reel {i}"), ("Rolls-Royce", "SR 200"), Medium);
                }
                for i in 1..=2 {
                    let j =
                        c.unit(ah, &format!("Shark jaw {i}"), "chain stopper", ("Karmøy Winch", "SJ 500"), Critical);
                    c.parts(j, &[("Jaw hydraulic cylinders", "hydraulic cylinder", Critical)]);
                    let p = c.unit(ah, &format!("Towing pin {i}"), "towing pin", ("Karmøy Winch", "TP 300"), High);
                    c.parts(p, &[("Pin hydraulic cylinder", "hydraulic cylinder", High)]);
                }
                let roller = c.unit_in(ah, HullArea, "Stern roller", "stern roller", ("Karmøy Winch", "SR-5m"), High);
                c.parts(roller, &[("Roller bearings", "bearing", High)]);
                for i in 1..=2 {
                    c.unit_in(ah, HullArea, &format!("Chain locker {i}"), "chain locker", ("Ulstein", "CL-3"), Low);
                }
                let deck = c.system("Deck machinery", Deck, High);
                c.winch(deck, "Anchor windlass", ("Rolls-Royce", "AW-58"), High);
                for i in 1..=2 {
                    c.winch(deck, &format!("Tugger winch {i}"), ("Rolls-Royce", "TW-15"), Medium);
                    c.unit(deck, &format!("Capstan {i}"), "capstan", ("Rolls-Royce", "CAP-15"), Medium);
                }
                let crane = c.crane(deck, "Knuckle boom deck crane", ("TTS", "KBC 10t-18m"), High);
                c.set_status(crane, EquipmentStatus::Degraded);
                c.ballast_and_bilge();
                c.fire_fighting(true);
                c.lifesaving(0);
                c.navigation(true);
                c.communication();
                c.hvac(false);
                c.fresh_water();
                c.hull(6);
                if let Some(m) = c.meters.iter_mut().find(|(i, _)| *i == gs[1]) {
                    m.1.replaced_in_week = Some(9);
                }
                if let Some(p) = c.items.iter().position(|e| e.name == "Tugger winch 2") {
                    c.set_status(p, EquipmentStatus::Down);
                }
            }
            Self::JackUp => {
                let jack = c.system("Jacking system", HullArea, Critical);
                for leg in 1..=3 {
                    let unit = c.unit(
                        jack,
                        &format!("Leg {leg} jacking unit"),
                        "rack and pinion jacking",
                        ("GustoMSC", "CJ46"),
                        Critical,
                    );
                    for pinion in ["A", "B", "C", "D", "E", "F"] {
                        c.parts(unit, &[(&format!("Pinion drive {leg}{pinion}"), "electric pinion drive", Critical)]);
                    }
                    c.parts(
                        unit,
                        &[
                            (&format!("Leg {leg} brake set"), "jacking brake", Critical),
                            (&format!("Leg {leg} position sensor"), "encoder", High),
                            (&format!("Leg {leg} rack phase differential sensor"), "RPD sensor", High),
                        ],
                    );
                    c.unit(
                        jack,
                        &format!("Leg {leg} spudcan jetting valve"),
                        "jetting valve",
                        ("Scana", "JV-150"),
                        Medium,
                    );
                }
                let jc = c.unit_in(
                    jack,
                    Bridge,
                    "Jacking control system",
                    "control system",
                    ("GustoMSC", "JCS-3"),
                    Critical,
                );
                c.parts(
                    jc,
                    &[
                        ("Jacking control console", "operator station", Critical),
                        ("Jacking PLC", "controller", Critical),
                    ],
                );
                c.pumps(jack, "Preload pump", 2, ("Azcue", "VM-150/50"), High);
                c.pumps(jack, "Spudcan jetting pump", 2, ("Azcue", "CA-125/40"), Medium);
                let gs = c.power(5, true);
                c.electrical(5);
                c.fuel();
                c.lube_oil(0);
                c.cooling();
                c.compressed_air();
                let cranes = c.system("Cranes and lifting", Deck, Critical);
                c.crane(cranes, "Main crane (starboard)", ("Liebherr", "BOS 14000-400"), Critical);
                c.crane(cranes, "Auxiliary crane (port)", ("Liebherr", "BOS 4200-75"), High);
                c.crane(cranes, "Pipe deck crane", ("Liebherr", "RL-K 4200"), High);
                for i in 1..=2 {
                    c.winch(cranes, &format!("Personnel winch {i}"), ("Hydralift", "MRW-5"), High);
                }
                let heli = c.system("Helideck", Deck, High);
                c.unit(heli, "Helideck lighting", "status lights", ("Orga", "HLS-5"), High);
                let foam = c.unit(heli, "Helideck foam system", "DIFFS foam", ("Svenska Skum", "DIFFS 35"), Critical);
                c.parts(
                    foam,
                    &[("Foam pump", "centrifugal pump", Critical), ("Foam concentrate tank", "tank", Medium)],
                );
                let hf = c.unit(heli, "Helicopter refuelling system", "refuelling", ("Mobile Fuels", "HRS-2"), High);
                c.parts(hf, &[("Refuelling pump", "pump", High), ("Fuel filter/water separator", "filter", High)]);
                c.ballast_and_bilge();
                c.fire_fighting(false);
                c.lifesaving(2);
                let nav = c.system("Navigation and obstruction lights", Bridge, Medium);
                c.unit(nav, "Collision avoidance radar", "radar", ("Furuno", "FAR-2228"), Medium);
                c.unit(nav, "AIS transponder", "AIS", ("Saab", "R5 Supreme"), Medium);
                c.unit(nav, "Obstruction light system", "obstruction lights", ("Orga", "OLS-2"), High);
                c.unit(nav, "Fog horn", "fog signal", ("Kockums", "Typhon FH-200"), Medium);
                c.unit(nav, "Meteorological station", "weather station", ("Vaisala", "AWS430"), Low);
                c.communication();
                c.hvac(true);
                c.fresh_water();
                c.hull(8);
                if let Some(m) = c.meters.iter_mut().find(|(i, _)| *i == gs[3]) {
                    m.1.replaced_in_week = Some(21);
                }
                if let Some(p) = c.items.iter().position(|e| e.name == "Pinion drive 2D") {
                    c.set_status(p, EquipmentStatus::Degraded);
                }
            }
            Self::Yacht => {
                let sys = c.system("Main propulsion", EngineRoom, Critical);
                for i in 1..=2 {
                    let hours = c.rng.random_range(3_000.0..6_000.0);
                    let me =
                        c.unit(sys, &format!("Main engine {i}"), "diesel engine", ("MTU", "16V 2000 M96L"), Critical);
                    c.parts(me, &[("Turbochargers", "turbocharger", High), ("Sea water pump", "impeller pump", High)]);
                    c.metered(me, hours, 20.0);
                }
                c.power(2, false);
                let sys = c.system("Stabilisers", HullArea, Medium);
                for side in ["port", "starboard"] {
                    c.unit(sys, &format!("Fin stabiliser ({side})"), "fin stabiliser", ("Quantum", "XT-30"), Medium);
                }
                c.fire_fighting(false);
                c.communication();
            }
        }
    }
}

/// A deterministic seed from a name, so a vessel's demo registry reads the same each time.
pub(crate) fn seed_of(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// Weekly readings over the past 26 weeks for every metered item, the latest a day or so old.
fn readings_of(c: &mut Catalog, recorded_by: Option<UserId>) -> Vec<StoredReading> {
    let mut out = Vec::new();
    let meters = c.meters.clone();
    for (item, meter) in meters {
        let mut hours = meter.start;
        for week in 0..26u32 {
            // Weekly, the latest a day or so ago, so the current handover has hours to show.
            let read_at = c.now - Duration::weeks(i64::from(25 - week)) - Duration::hours(c.rng.random_range(12..36));
            let run = meter.per_week * c.rng.random_range(0.6..1.3);
            let replaced = meter.replaced_in_week == Some(week);
            hours = if replaced { c.rng.random_range(0.0..8.0_f64) } else { hours + run };
            out.push(StoredReading {
                id: c.id_at(read_at),
                equipment_id: c.items[item].id,
                reading: MeterReading { hours: (hours * 10.0).round() / 10.0, meter_replaced: replaced, read_at },
                recorded_by,
            });
        }
    }
    out
}

/// A demo vessel's registry as seeded: its items (parents first) and their readings.
#[derive(Debug, Clone)]
pub(crate) struct DemoRegistry {
    /// The items.
    pub items: Vec<Equipment>,
    /// Six months of weekly readings, each meter's in time order.
    pub readings: Vec<StoredReading>,
}

impl Hull {
    /// The registry and readings the demo gives a vessel of this hull named `vessel_name`
    /// (the same every time for the same name), built in memory.
    pub(crate) fn registry(
        self,
        company: CompanyId,
        vessel: VesselId,
        vessel_name: &str,
        now: DateTime<Utc>,
        recorded_by: Option<UserId>,
    ) -> DemoRegistry {
        let mut c = Catalog::new(company, vessel, now, seed_of(vessel_name));
        self.build(&mut c);
        let readings = readings_of(&mut c, recorded_by);
        DemoRegistry { items: c.items, readings }
    }
}

/// Seeds a demo vessel's registry and six months of readings in one transaction. Answers
/// what it wrote.
pub(crate) async fn seed_demo(
    equipment: &EquipmentService,
    actor: &Actor,
    vessel: VesselId,
    vessel_name: &str,
    hull: Hull,
    recorded_by: Option<UserId>,
) -> Result<DemoRegistry> {
    let mut r = hull.registry(actor.company_id, vessel, vessel_name, equipment.deps.clock.now(), recorded_by);
    equipment.seed_registry(actor, vessel, &mut r.items, &r.readings, "demo").await?;
    Ok(r)
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use bosun_domain::equipment::{check_parent, check_reading};

    use super::*;

    fn catalog(hull: Hull) -> (Catalog, Vec<StoredReading>) {
        let mut c = Catalog::new(CompanyId::new(), VesselId::new(), Utc::now(), seed_of("test"));
        hull.build(&mut c);
        let r = readings_of(&mut c, None);
        (c, r)
    }

    #[test]
    fn every_hull_is_a_valid_hierarchy_of_a_few_hundred_items() {
        for (hull, min) in
            [(Hull::SupplyVessel, 250), (Hull::AnchorHandlingTug, 250), (Hull::JackUp, 250), (Hull::Yacht, 20)]
        {
            let (c, _) = catalog(hull);
            assert!(c.items.len() >= min, "{hull:?} has {} items", c.items.len());
            assert!(c.items.len() <= 600, "{hull:?} has {} items", c.items.len());
            let mut seen: HashMap<EquipmentId, EquipmentLevel> = HashMap::new();
            for e in &c.items {
                // Parents come first, so inserting in order satisfies the foreign key.
                let parent = e.parent_id.map(|p| *seen.get(&p).expect("the parent comes first"));
                assert!(check_parent(e.level, parent).is_ok(), "{} under {parent:?}", e.name);
                seen.insert(e.id, e.level);
            }
            let codes: HashSet<&str> = c.items.iter().map(|e| e.qr_code.as_str()).collect();
            assert_eq!(codes.len(), c.items.len(), "QR codes are unique");
            assert!(c.items.iter().filter(|e| e.maker.is_some()).all(|e| e.serial_number.is_some()));
        }
    }

    #[test]
    fn demo_readings_climb_except_where_a_meter_was_replaced() {
        for hull in [Hull::SupplyVessel, Hull::AnchorHandlingTug, Hull::JackUp, Hull::Yacht] {
            let (c, readings) = catalog(hull);
            assert!(!readings.is_empty());
            let mut replaced = 0;
            for chunk in readings.chunk_by(|a, b| a.equipment_id == b.equipment_id) {
                assert_eq!(chunk.len(), 26);
                for pair in chunk.windows(2) {
                    assert!(pair[0].reading.read_at < pair[1].reading.read_at);
                    assert!(check_reading(Some(&pair[0].reading), &pair[1].reading).is_ok());
                }
                replaced += chunk.iter().filter(|r| r.reading.meter_replaced).count();
                let name = &c.items.iter().find(|e| e.id == chunk[0].equipment_id).expect("a metered item").name;
                assert!(
                    ["engine", "Generator", "generator", "compressor"].iter().any(|k| name.contains(k)),
                    "{name} has a meter"
                );
            }
            if hull != Hull::Yacht {
                assert_eq!(replaced, 1, "{hull:?} shows one meter replacement");
            }
        }
    }
}
