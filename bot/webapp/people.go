package webapp

import (
	"context"
	"errors"
	"net/http"

	"github.com/caxbot/caxbot/store"
)

// People (users and invitations) are for those who may invite, by the
// bot's /moi rule: a province user anyone of the province (its
// departments' officers too, once it has departments), a district head
// the commune staff of the district.

type personView struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Role  string `json:"role"`
	Scope string `json:"scope"`
	Gone  bool   `json:"gone"`
}

type invitationView struct {
	Code    string `json:"code"`
	Name    string `json:"name"`
	Role    string `json:"role"`
	Scope   string `json:"scope"`
	Expires string `json:"expires"`
	Link    string `json:"link"`
}

type placeView struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// invitableRoles are the roles a user of scope s may invite.
func invitableRoles(ro *roster, s store.Scope) []store.Role {
	switch s.Role {
	case store.RoleProvince:
		roles := []store.Role{store.RoleCommune, store.RoleDistrict, store.RoleProvince}
		if len(ro.ofUnits[s.Code]) > 0 {
			roles = append(roles, store.RoleUnit)
		}
		return roles
	case store.RoleDistrict:
		return []store.Role{store.RoleCommune}
	}
	return nil
}

func mayInvite(se *session) error {
	if len(invitableRoles(se.ro, se.scope())) == 0 {
		return refuse(http.StatusForbidden, "webapp.error.not_allowed")
	}
	return nil
}

func (s *Server) people(ctx context.Context, w http.ResponseWriter, _ *http.Request, se *session) error {
	if err := mayInvite(se); err != nil {
		return err
	}
	p, ro, sc := se.p, se.ro, se.scope()
	users, err := s.db.Users(ctx, sc)
	if err != nil {
		return err
	}
	invs, err := s.db.PendingInvitations(ctx, sc, s.now())
	if err != nil {
		return err
	}
	out := struct {
		Users       []personView     `json:"users"`
		Invitations []invitationView `json:"invitations"`
		Roles       []placeView      `json:"roles"`
		Districts   []placeView      `json:"districts"`
		Units       []placeView      `json:"units"` // the departments, for role unit
	}{Users: []personView{}, Invitations: []invitationView{}, Districts: []placeView{}, Units: []placeView{}}
	for _, u := range users {
		out.Users = append(out.Users, personView{ID: u.TelegramID, Name: u.Name, Role: p.T("webapp.role." + string(u.Role)),
			Scope: s.scopeName(p, ro, store.ScopeOf(u)), Gone: u.Gone})
	}
	for _, inv := range invs {
		out.Invitations = append(out.Invitations, s.invitationView(se, inv))
	}
	for _, r := range invitableRoles(ro, sc) {
		out.Roles = append(out.Roles, placeView{Code: string(r), Name: p.T("webapp.role." + string(r))})
	}
	districts, _ := ro.within(sc)
	for _, d := range districts {
		out.Districts = append(out.Districts, placeView{Code: d.Code, Name: d.Name})
	}
	for _, u := range ro.unitsWithin(sc) {
		out.Units = append(out.Units, placeView{Code: u.Code, Name: u.Name})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) invitationView(se *session, inv store.Invitation) invitationView {
	p := se.p
	return invitationView{Code: inv.Code, Name: inv.Name, Role: p.T("webapp.role." + string(inv.Role)),
		Scope:   s.scopeName(p, se.ro, store.Scope{Role: inv.Role, Code: inv.Scope}),
		Expires: p.T("webapp.history.at", inv.ExpiresAt.In(s.loc).Format("15:04"), p.Date(inv.ExpiresAt)),
		Link:    store.InviteLink(s.username, inv.Code)}
}

// communesOf lists a district's communes for the invitation form.
func (s *Server) communesOf(_ context.Context, w http.ResponseWriter, r *http.Request, se *session) error {
	if err := mayInvite(se); err != nil {
		return err
	}
	code := r.URL.Query().Get("district")
	if _, ok := se.ro.districts[code]; !ok {
		return refuse(http.StatusNotFound, "webapp.error.unknown_place")
	}
	if !se.ro.covers(se.scope(), store.Scope{Role: store.RoleDistrict, Code: code}) {
		return refuse(http.StatusForbidden, "webapp.error.out_of_scope")
	}
	out := []placeView{}
	for _, c := range se.ro.ofDistrict[code] {
		out = append(out, placeView{Code: c.Code, Name: communeName(se.p, c)})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// invite makes one invitation, as /moi does.
func (s *Server) invite(ctx context.Context, w http.ResponseWriter, r *http.Request, se *session) error {
	if err := mayInvite(se); err != nil {
		return err
	}
	var in struct {
		Name     string     `json:"name"`
		Role     store.Role `json:"role"`
		District string     `json:"district"`
		Commune  string     `json:"commune"`
		Unit     string     `json:"unit"`
	}
	if err := readJSON(r, &in); err != nil {
		return err
	}
	own := se.scope()
	allowed := false
	for _, role := range invitableRoles(se.ro, own) {
		allowed = allowed || role == in.Role
	}
	if !allowed {
		return refuse(http.StatusForbidden, "webapp.error.not_allowed")
	}
	target := own
	switch in.Role {
	case store.RoleDistrict:
		target = store.Scope{Role: store.RoleDistrict, Code: in.District}
	case store.RoleCommune:
		target = store.Scope{Role: store.RoleCommune, Code: in.Commune}
	case store.RoleUnit:
		target = store.Scope{Role: store.RoleUnit, Code: in.Unit}
	}
	if !se.ro.known(target) {
		return &apiError{status: http.StatusUnprocessableEntity, key: "webapp.error.form",
			fields: []fieldError{{Field: "place", Message: se.p.T("webapp.invite.pick_place")}}}
	}
	if !se.ro.covers(own, target) {
		return refuse(http.StatusForbidden, "webapp.error.out_of_scope")
	}
	name, err := store.CleanHolder(in.Name)
	if refused := holderRefusal(se.p, err); refused != "" {
		return &apiError{status: http.StatusUnprocessableEntity, key: "webapp.error.form", fields: []fieldError{{Field: "name", Message: refused}}}
	}
	now := s.now()
	inv, err := store.NewInvitation(s.random, target, name, se.actor(), now, s.opt.InvitationTTL)
	if err != nil {
		return err
	}
	if _, err := s.db.CreateInvitations(ctx, []store.Invitation{inv}, nil, se.actor(), now); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.invitationView(se, inv))
	return nil
}

// revoke cancels one pending invitation of the caller's scope.
func (s *Server) revoke(ctx context.Context, w http.ResponseWriter, r *http.Request, se *session) error {
	if err := mayInvite(se); err != nil {
		return err
	}
	var in struct {
		Code string `json:"code"`
	}
	if err := readJSON(r, &in); err != nil {
		return err
	}
	inv, err := s.db.Invitation(ctx, in.Code)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvitationUnknown) {
		return refuse(http.StatusNotFound, "webapp.error.invitation_unknown")
	}
	if err != nil {
		return err
	}
	if !se.ro.covers(se.scope(), store.Scope{Role: inv.Role, Code: inv.Scope}) {
		return refuse(http.StatusForbidden, "webapp.error.out_of_scope")
	}
	_, err = s.db.RevokeInvitations(ctx, se.scope(), in.Code, se.actor(), s.now())
	switch {
	case errors.Is(err, store.ErrInvitationUsed):
		return refuse(http.StatusConflict, "webapp.error.invitation_used")
	case errors.Is(err, store.ErrInvitationRevoked):
		return refuse(http.StatusConflict, "webapp.error.invitation_revoked")
	case err != nil:
		return err
	}
	writeJSON(w, http.StatusOK, map[string]string{"message": se.p.T("webapp.invite.revoked", in.Code)})
	return nil
}
