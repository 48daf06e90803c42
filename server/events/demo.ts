/**
 * The demo event, modelled on the twinned-cities dinner-debate (../shared/seed): five
 * delegations, four tables (one per visiting city), six languages. Speakers are roles,
 * not real people.
 */
import type { EventSetupInput } from '../../shared/schemas.ts';

export const demoSetup: EventSetupInput = {
  title: 'Dîner-débat des villes jumelles',
  theme: "Gestion urbaine d'un centre ville historique",
  languages: ['fr', 'es', 'it', 'pt', 'he', 'en'],
  moderation: 'pre',
  tables: [
    { id: 'granada', name: 'Grenade', city: 'Granada' },
    { id: 'perugia', name: 'Pérouse', city: 'Perugia' },
    { id: 'coimbra', name: 'Coimbra', city: 'Coimbra' },
    { id: 'ashkelon', name: 'Ashkelon', city: 'Ashkelon' },
  ],
  agenda: [
    {
      id: 'aix',
      speaker: "Adjointe au maire déléguée au centre historique",
      delegation: 'Aix-en-Provence',
      title: 'Un centre « typique » : richesse du patrimoine, conflits d’usages et nouvelle gouvernance',
      language: 'fr',
      plannedSeconds: 600,
    },
    {
      id: 'granada',
      speaker: 'Concejal de Urbanismo y Patrimonio',
      delegation: 'Granada',
      title: 'Conservar una ciudad histórica Patrimonio Mundial',
      language: 'es',
      plannedSeconds: 600,
    },
    {
      id: 'coimbra',
      speaker: 'Arquiteta municipal, reabilitação urbana',
      delegation: 'Coimbra',
      title: 'Renovar edifícios antigos segundo as normas do desenvolvimento sustentável',
      language: 'pt',
      plannedSeconds: 720,
    },
    {
      id: 'perugia',
      speaker: 'Assessore alla mobilità',
      delegation: 'Perugia',
      title: 'Innovazioni nel trasporto pubblico e scelte per l’interesse generale',
      language: 'it',
      plannedSeconds: 600,
    },
    {
      id: 'ashkelon',
      speaker: 'ראש מחלקת התחדשות עירונית',
      delegation: 'Ashkelon',
      title: 'החייאת מרכז העיר ועבודות השיקום',
      language: 'he',
      plannedSeconds: 600,
    },
    {
      id: 'debate',
      speaker: 'Rédacteur en chef, modérateur',
      delegation: 'Débat',
      title: 'Débat avec la salle',
      language: 'fr',
      plannedSeconds: 1200,
    },
  ],
};
