/**
 * Running the fleet (owners, admins, managers): registering and editing vessels, their
 * departments, and who is on board (rotations). Online only: these go straight to the server.
 */
import { useQuery } from '@tanstack/react-query';
import { answer, api, noAnswer } from '../../../api/client';
import { fetchAllPages } from '../../../api/pages';
import { load } from '../../../api/query';
import type { components } from '../../../api/schema.gen';
import type { MemberView, VesselView } from '../../../api/types';

type Schemas = components['schemas'];

/** A vessel with its departments (`GET /api/v1/vessels/{id}`). */
export type VesselDetail = Schemas['VesselDetailView'];
/** A department of a vessel. */
export type Department = Schemas['DepartmentView'];
/** A person's rotation on a vessel. */
export type Rotation = Schemas['RotationView'];
/** A person on a vessel with their rotation (`GET /api/v1/vessels/{id}/members`). */
export type CrewMember = Schemas['CrewMemberView'];
/** `vessel`, `site` or `project`. */
export type VesselKind = Schemas['VesselKind'];

/** Query keys. */
export const FLEET_KEYS = {
  vessels: ['fleet', 'vessels'] as const,
  vessel: (id: string) => ['fleet', 'vessel', id] as const,
  people: ['fleet', 'people'] as const,
  crew: (id: string) => ['fleet', 'crew', id] as const,
};

const pageQuery = (cursor: string | undefined, limit: number) => ({
  query: { limit, ...(cursor === undefined ? {} : { cursor }) },
});

/** Every vessel of the company. */
export function useFleetVessels() {
  return useQuery({
    queryKey: FLEET_KEYS.vessels,
    queryFn: load('Could not load the vessels', (signal) =>
      fetchAllPages<VesselView>((cursor) => answer(api.GET('/api/v1/vessels', { params: pageQuery(cursor, 100), signal }))),
    ),
  });
}

/** One vessel with its departments. */
export function useVesselDetail(id: string) {
  return useQuery({
    queryKey: FLEET_KEYS.vessel(id),
    queryFn: load('Could not load the vessel', (signal) =>
      answer(api.GET('/api/v1/vessels/{id}', { params: { path: { id } }, signal })),
    ),
  });
}

/** The company's people, to put on a rotation. */
export function useFleetPeople() {
  return useQuery({
    queryKey: FLEET_KEYS.people,
    queryFn: load('Could not load the people', (signal) =>
      fetchAllPages<MemberView>((cursor) => answer(api.GET('/api/v1/users', { params: pageQuery(cursor, 200), signal }))),
    ),
  });
}

/** Who is on board a vessel, with their departments and rotation dates. */
export function useVesselCrew(vesselId: string) {
  return useQuery({
    queryKey: FLEET_KEYS.crew(vesselId),
    queryFn: load('Could not load the crew', (signal) =>
      fetchAllPages<CrewMember>((cursor) =>
        answer(api.GET('/api/v1/vessels/{id}/members', { params: { path: { id: vesselId }, ...pageQuery(cursor, 200) }, signal })),
      ),
    ),
  });
}

/** A vessel's fields as the form sends them; blank texts are none. */
export interface VesselFields {
  name: string;
  kind: VesselKind;
  vesselType: string;
  imo: string;
}

const blankIsNull = (value: string) => (value.trim() === '' ? null : value.trim());

/** `POST /api/v1/vessels`. */
export function createVessel(fields: VesselFields): Promise<VesselView> {
  return answer(
    api.POST('/api/v1/vessels', {
      body: {
        name: fields.name.trim(),
        kind: fields.kind,
        vessel_type: blankIsNull(fields.vesselType),
        imo: fields.kind === 'vessel' ? blankIsNull(fields.imo) : null,
      },
    }),
  );
}

/** `PUT /api/v1/vessels/{id}`: replaces the fields, keeping its specs; `409 version_conflict` if it changed since `vessel` was read. */
export function updateVessel(vessel: VesselView, fields: VesselFields): Promise<VesselView> {
  return answer(
    api.PUT('/api/v1/vessels/{id}', {
      params: { path: { id: vessel.id } },
      body: {
        name: fields.name.trim(),
        kind: fields.kind,
        vessel_type: blankIsNull(fields.vesselType),
        imo: fields.kind === 'vessel' ? blankIsNull(fields.imo) : null,
        specs: vessel.specs,
        version: vessel.version,
      },
    }),
  );
}

/** `POST /api/v1/vessels/{id}/departments`: `409 department_exists` for a name it has. */
export function addDepartment(vesselId: string, name: string): Promise<Department> {
  return answer(
    api.POST('/api/v1/vessels/{id}/departments', { params: { path: { id: vesselId } }, body: { name: name.trim() } }),
  );
}

/** A rotation to record for someone. */
export interface NewRotation {
  userId: string;
  departmentId: string;
  start: string;
  end: string;
}

/** `POST /api/v1/vessels/{id}/join-rotation` naming the person (`rotation.assign`). */
export function assignRotation(vesselId: string, rotation: NewRotation): Promise<Rotation> {
  return answer(
    api.POST('/api/v1/vessels/{id}/join-rotation', {
      params: { path: { id: vesselId } },
      body: {
        user_id: rotation.userId,
        department_id: rotation.departmentId === '' ? null : rotation.departmentId,
        rotation_start: rotation.start,
        rotation_end: rotation.end === '' ? null : rotation.end,
      },
    }),
  );
}

/** `DELETE /api/v1/vessels/{id}/members/{userId}`: `404` when the person is not on the vessel. */
export function removeMember(vesselId: string, userId: string): Promise<void> {
  return noAnswer(
    api.DELETE('/api/v1/vessels/{id}/members/{userId}', { params: { path: { id: vesselId, userId } } }),
  );
}
