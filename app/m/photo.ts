/*
 * A resident's photo is resized on the phone before it goes, by the field page's rules
 * (app/field/image.ts, app/field/prepare.ts): a cheap phone on a slow cell sends a few hundred kB, not 5 MB.
 */
import { preparePhoto as prepare } from '@/app/field/prepare';

/** The citizens' upload limit (POST /api/v1/citizen/photos), below the staff one. */
export const MAX_CITIZEN_PHOTO_BYTES = 5 * 1024 * 1024;
export const MAX_PHOTOS = 3;

export const preparePhoto = (file: File): Promise<Blob> => prepare(file, MAX_CITIZEN_PHOTO_BYTES);
