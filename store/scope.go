package store

// Scope is the part of the roster a user or a query is about. The zero
// Scope is everything the store holds (for the command line).
type Scope struct {
	Role Role
	Code string // a commune, district or province code, by Role
}

// ScopeOf returns the scope of a user.
func ScopeOf(u User) Scope { return Scope{Role: u.Role, Code: u.Scope} }

// All reports whether the scope is the whole store: the zero Scope, or a
// national user's.
func (s Scope) All() bool { return s.Role == "" || s.Role == RoleNational }

// Covers reports whether s includes all of t: a district head covers the
// communes of the district, the province covers every district in it.
// provinceOf and districtOf resolve codes; they are only called for the
// levels that need them.
func (s Scope) Covers(t Scope, districtOfCommune func(string) string, provinceOfDistrict func(string) string) bool {
	if s.All() {
		return true
	}
	if t.All() {
		return false
	}
	if s.Role == t.Role {
		return s.Code == t.Code
	}
	switch s.Role {
	case RoleDistrict:
		return t.Role == RoleCommune && districtOfCommune(t.Code) == s.Code
	case RoleProvince:
		switch t.Role {
		case RoleDistrict:
			return provinceOfDistrict(t.Code) == s.Code
		case RoleCommune:
			return provinceOfDistrict(districtOfCommune(t.Code)) == s.Code
		}
	}
	return false
}
