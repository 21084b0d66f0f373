import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** The arbiter register. `id` is the arbiter's token `sub`. */
@Entity({ name: 'arbiters' })
export class ArbiterEntity {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  email: string;

  @Column({ type: 'varchar', length: 16, nullable: true })
  department: string | null;

  /** The name the public register shows on this arbiter's decisions; null: not published. */
  @Column({ name: 'public_name', type: 'text', nullable: true })
  publicName: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
