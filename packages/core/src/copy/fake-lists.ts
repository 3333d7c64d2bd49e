// Word lists of the fakes. Common given names and surnames of several origins (no list of real people: a fake
// name is one of these given names with one of these surnames, drawn by a keyed hash), and syllables from which
// city names are invented. ASCII letters only, so that e-mail addresses can be made from them.

/** Common given names, mixed origins. */
export const GIVEN_NAMES: readonly string[] = [
  'Aisha', 'Alejandro', 'Amara', 'Anders', 'Ana', 'Anika', 'Arjun', 'Ayesha', 'Bao', 'Beatriz', 'Carlos', 'Chen', 'Chloe', 'Daniel',
  'Dara', 'Diego', 'Elena', 'Elif', 'Emeka', 'Emma', 'Fatima', 'Felix', 'Freya', 'Giulia', 'Hana', 'Hamza', 'Ines', 'Ivan',
  'Jamal', 'Jin', 'Johan', 'Julia', 'Kai', 'Kofi', 'Lars', 'Layla', 'Leila', 'Liam', 'Lucia', 'Luca', 'Malik', 'Maria',
  'Mateo', 'Mei', 'Mila', 'Nadia', 'Naveen', 'Nia', 'Noah', 'Olga', 'Omar', 'Priya', 'Rafael', 'Ravi', 'Rosa', 'Sakura',
  'Samir', 'Sara', 'Sofia', 'Tariq', 'Thomas', 'Tomas', 'Valentina', 'Wei', 'Yara', 'Yusuf', 'Zainab', 'Zoe',
];

/** Common surnames, mixed origins. */
export const SURNAMES: readonly string[] = [
  'Abara', 'Ahmed', 'Alvarez', 'Andersen', 'Bakker', 'Banerjee', 'Becker', 'Bianchi', 'Brown', 'Castro', 'Chen', 'Costa',
  'Da Silva', 'Dubois', 'Eriksson', 'Fernandez', 'Fischer', 'Garcia', 'Gonzalez', 'Haddad', 'Hansen', 'Hoffmann', 'Ibrahim',
  'Ivanova', 'Jansen', 'Jensen', 'Johnson', 'Kaur', 'Khan', 'Kim', 'Kowalski', 'Kumar', 'Laurent', 'Lee', 'Lopez', 'Martin',
  'Meyer', 'Mensah', 'Moreau', 'Murphy', 'Nakamura', 'Nguyen', 'Novak', 'Okafor', 'Olsen', 'Park', 'Patel', 'Petrov',
  'Popescu', 'Rossi', 'Russo', 'Santos', 'Schmidt', 'Silva', 'Singh', 'Smith', 'Suzuki', 'Tanaka', 'Wang', 'Weber',
  'Williams', 'Wilson', 'Yilmaz', 'Zhang',
];

/** The words of invented street names. */
export const STREET_WORDS: readonly string[] = [
  'Acorn', 'Alder', 'Amber', 'Aspen', 'Birch', 'Bramble', 'Cedar', 'Clover', 'Copper', 'Elm', 'Fern', 'Hazel', 'Heather',
  'Juniper', 'Lantern', 'Larch', 'Linden', 'Maple', 'Meadow', 'Orchard', 'Pebble', 'Poplar', 'Quarry', 'Rowan', 'Sorrel',
  'Spruce', 'Thistle', 'Willow', 'Yarrow', 'Kestrel', 'Marigold',
];

/** The kinds of street. */
export const STREET_KINDS: readonly string[] = ['Street', 'Road', 'Lane', 'Way'];

/** Syllables of invented city names: rare combinations, so that a name is no real town. */
export const CITY_FIRST: readonly string[] = ['Bral', 'Cor', 'Drav', 'Elv', 'Fen', 'Gald', 'Hask', 'Ivr', 'Jorv', 'Kelm', 'Lorn', 'Marv', 'Nesk', 'Orv', 'Pell', 'Quen', 'Rusk', 'Sarn', 'Tovr', 'Vesk', 'Wyl', 'Zan'];
export const CITY_MIDDLE: readonly string[] = ['a', 'e', 'i', 'o', 'u', 'ar', 'el', 'in', 'or', 'yn'];
export const CITY_LAST: readonly string[] = ['brook', 'dell', 'ford', 'haven', 'holm', 'mere', 'mont', 'stead', 'vale', 'wick', 'thorpe', 'ridge'];

/** Invented regions. */
export const REGIONS: readonly string[] = ['Northmarch', 'Eastvale', 'Southmere', 'Westholm', 'Midreach', 'Highfold', 'Lowmoor', 'Coastwold', 'Riverdune', 'Stonecrest'];

/** Countries (a country alone identifies no one; the list keeps the copy realistic). */
export const COUNTRIES: readonly string[] = ['Austria', 'Belgium', 'Canada', 'Denmark', 'Finland', 'France', 'Germany', 'Ireland', 'Italy', 'Netherlands', 'Norway', 'Portugal', 'Spain', 'Sweden', 'United Kingdom'];
